import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTemporalServer, type RunningServer } from './index.js';
import * as activities from './smoke/activities.js';
import { approve, monthLong, stateQuery } from './smoke/workflows.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTemporalServer({ timeSkipping: true });
});
afterAll(async () => {
  await server?.stop();
});

it('runs a workflow with a real worker: timer, retried activity, signal, query', async () => {
  const connection = await NativeConnection.connect({ address: server.address });
  const worker = await Worker.create({
    connection,
    taskQueue: 'smoke',
    workflowsPath: fileURLToPath(new URL('./smoke/workflows.ts', import.meta.url)),
    activities,
  });
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  await worker.runUntil(async () => {
    const handle = await client.workflow.start(monthLong, {
      args: ['Crema'],
      taskQueue: 'smoke',
      workflowId: 'smoke-1',
    });
    expect(await handle.query(stateQuery)).toBe('sleeping');
    await handle.signal(approve, 'sindaco');
    expect(await handle.result()).toBe('hello Crema after 3 attempts, approved by sindaco');
  });
  await connection.close();
});
