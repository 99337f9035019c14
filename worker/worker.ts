/**
 * Builds the Temporal worker that runs every governance workflow and activity. Shared by the worker
 * process (worker/main.ts), `npm start`, the simulator and the tests, so all of them run the same code.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { bundleWithCache } from './bundle-cache';
import { DEFAULT_TASK_QUEUE } from '../workflows/contracts';
import type { GovernanceActivities } from '../activities/index';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

let bundle: Promise<WorkflowBundle> | undefined;

/**
 * Bundling takes seconds: once per process, however many workers start (tests restart them), and not at all
 * when the bundle kept on disk is still exact (bundle-cache.ts).
 */
export function workflowBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWithCache(WORKFLOWS_PATH, () =>
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger }),
  );
  return bundle;
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

export interface GovernanceWorkerOptions {
  connection: NativeConnection;
  activities: GovernanceActivities;
  namespace?: string;
  taskQueue?: string;
}

export async function createGovernanceWorker(options: GovernanceWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: options.activities,
  });
}
