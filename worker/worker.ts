/**
 * Builds the Temporal worker that runs every governance workflow and activity. Shared by the worker
 * process (worker/main.ts), `npm start`, the simulator and the tests, so all of them run the same code.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { DEFAULT_TASK_QUEUE } from '../workflows/contracts';
import type { GovernanceActivities } from '../activities/index';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

let bundle: Promise<WorkflowBundle> | undefined;

/** Bundling takes seconds: do it once per process, however many workers start (tests restart them). */
export function workflowBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
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
