// Shared plumbing for the conformance suite: one time-skipping environment per test file, one cached workflow
// bundle for all files, and small helpers that read real server state (history, describe) instead of guessing.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The offline server's executable, called by the SDK exactly like Temporal's own test server: `<path> <port>`. */
export const offlineServerPath = path.resolve(here, '../bin/test-server');

/** Which server the suite runs against: the offline one (default) or Temporal's downloaded test server. */
export function serverUnderTest(): 'offline' | 'official' {
  const choice = process.env.TEMPORAL_TEST_SERVER ?? 'offline';
  if (choice !== 'offline' && choice !== 'official') {
    throw new Error(`TEMPORAL_TEST_SERVER must be "offline" or "official", got "${choice}"`);
  }
  return choice;
}

let runtimeInstalled = false;

/**
 * The SDK logs worker lifecycle, its workflow bundle and every expected activity or workflow task failure;
 * keep test output readable. Call before the first Worker or connection of the test file.
 */
export function quietSdkLogs(): void {
  if (runtimeInstalled) return;
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    // Core's own warnings (a workflow task failed on purpose) go straight to stderr unless filtered here.
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
  });
  runtimeInstalled = true;
}

export async function createTestEnv(): Promise<TestWorkflowEnvironment> {
  quietSdkLogs();
  if (serverUnderTest() === 'official') return TestWorkflowEnvironment.createTimeSkipping();
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: offlineServerPath } },
  });
}

/**
 * Bundling workflow code costs seconds of CPU; every test file needs the same bundle, so it is cached on disk
 * keyed by the workflow sources and the SDK version. The write is atomic (rename), so parallel files are safe.
 */
export async function workflowBundle(workflowsDir = path.join(here, 'workflows')): Promise<{ code: string }> {
  const files = (await readdir(workflowsDir)).filter((f) => f.endsWith('.ts')).sort();
  const hash = createHash('sha256');
  const sdkPackage = await readFile(
    path.resolve(here, '../../../node_modules/@temporalio/worker/package.json'),
  );
  hash.update(sdkPackage);
  for (const file of files) hash.update(file).update(await readFile(path.join(workflowsDir, file)));
  const cacheDir = path.join(os.tmpdir(), 'temporal-conformance-bundles');
  const cached = path.join(cacheDir, `${hash.digest('hex').slice(0, 24)}.js`);
  try {
    return { code: await readFile(cached, 'utf8') };
  } catch {
    const { code } = await bundleWorkflowCode({
      workflowsPath: path.join(workflowsDir, 'index.ts'),
      logger: new DefaultLogger('WARN'),
    });
    await mkdir(cacheDir, { recursive: true });
    const partial = `${cached}.${process.pid}.tmp`;
    await writeFile(partial, code);
    await rename(partial, cached);
    return { code };
  }
}

/** Unique names keep tests in one environment independent of each other. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function createWorker(
  env: TestWorkflowEnvironment,
  options: Omit<WorkerOptions, 'connection' | 'workflowBundle' | 'workflowsPath'>,
): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    workflowBundle: await workflowBundle(),
    ...options,
  });
}

/** Event type names without the `EVENT_TYPE_` prefix, in history order. */
export async function eventTypes(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).map((event) => eventTypeName(event.eventType));
}

export function eventTypeName(type: proto.temporal.api.enums.v1.EventType | null | undefined): string {
  // Default import: @temporalio/proto is CommonJS, and Node's ESM loader (tsx) sees no named exports.
  const name = proto.temporal.api.enums.v1.EventType[type ?? 0] ?? `UNKNOWN_${type}`;
  return name.replace(/^EVENT_TYPE_/, '');
}

/**
 * Polls a real-time condition (worker progress, server state) with a hard bound, so a server that never
 * reaches the state fails the test with the last observed value instead of hanging.
 */
export async function waitUntil<T>(
  probe: () => Promise<T> | T,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await probe();
  }
  return last;
}

/** For each WORKFLOW_TASK_SCHEDULED event, the kind of queue it was put on: NORMAL or STICKY (worker cache). */
export async function workflowTaskQueueKinds(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? [])
    .filter((event) => event.workflowTaskScheduledEventAttributes)
    .map((event) => {
      const kind = event.workflowTaskScheduledEventAttributes?.taskQueue?.kind ?? 0;
      return (proto.temporal.api.enums.v1.TaskQueueKind[kind] ?? `UNKNOWN_${kind}`).replace(
        /^TASK_QUEUE_KIND_/,
        '',
      );
    });
}
