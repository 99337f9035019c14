import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { quietSdkLogs } from '../test/env.js';
import { startTemporalServer, type RunningServer } from './index.js';
import * as activities from './smoke/activities.js';
import { approve, buggyAtFirst, monthLong, stateQuery } from './smoke/workflows.js';

let server: RunningServer;
beforeAll(async () => {
  quietSdkLogs();
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
    // Time skips freely in-process, so the 30-day sleep may already be over.
    expect(['sleeping', 'working', 'waiting']).toContain(await handle.query(stateQuery));
    await handle.signal(approve, 'sindaco');
    expect(await handle.result()).toBe('hello Crema after 3 attempts, approved by sindaco');

    // Failed workflow task attempts after the first stay out of history, as in Temporal.
    const buggy = await client.workflow.start(buggyAtFirst, {
      taskQueue: 'smoke',
      workflowId: 'smoke-buggy',
      workflowTaskTimeout: '1s',
    });
    expect(await buggy.result()).toBe('fixed');
    const events = (await buggy.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.workflowTaskFailedEventAttributes)).toHaveLength(1);
    expect(events.filter((e) => e.workflowTaskTimedOutEventAttributes)).toHaveLength(0);
    const lastScheduled = events.filter((e) => e.workflowTaskScheduledEventAttributes).at(-1);
    expect(lastScheduled?.workflowTaskScheduledEventAttributes?.attempt).toBeGreaterThan(2);
    expect(events.map((e) => Number(e.eventId))).toEqual(events.map((_, i) => i + 1));
  });
  await connection.close();
});
