import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { quietSdkLogs } from '../test/env.js';
import { startTemporalServer, type RunningServer } from './index.js';
import * as activities from './smoke/activities.js';
import { greetOn } from './smoke/workflows.js';

let server: RunningServer;
beforeAll(async () => {
  quietSdkLogs();
  server = await startTemporalServer({ timeSkipping: true });
});
afterAll(async () => {
  await server?.stop();
});

it('lets virtual time reach the timeout of an activity whose worker connection closed', async () => {
  const connection = await NativeConnection.connect({ address: server.address });
  const worker = await Worker.create({
    connection,
    taskQueue: 'conn',
    workflowsPath: fileURLToPath(new URL('./smoke/workflows.ts', import.meta.url)),
    activities,
  });
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  await worker.runUntil(async () => {
    const handle = await client.workflow.start(greetOn, {
      args: ['remote', 'Crema'],
      taskQueue: 'conn',
      workflowId: 'conn-1',
    });
    // A worker that takes the activity and dies: its own TCP connection (local subchannel pool), closed
    // without answering, as a SIGKILL would.
    const doomed = await Connection.connect({
      address: server.address,
      channelArgs: { 'grpc.use_local_subchannel_pool': 1 },
    });
    const task = await doomed.workflowService.pollActivityTaskQueue({
      namespace: 'default',
      taskQueue: { name: 'remote' },
      identity: 'doomed',
    });
    expect(task.activityType?.name).toBe('greet');
    await doomed.close();

    // The second attempt, after the one-hour start-to-close timeout, goes to a live worker.
    const started = performance.now();
    const rescuer = await Worker.create({ connection, taskQueue: 'remote', activities });
    await rescuer.runUntil(async () => expect(await handle.result()).toBe('hello Crema'));
    expect(performance.now() - started).toBeLessThan(20_000);
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes)!;
    const started2 = events.find((e) => e.activityTaskStartedEventAttributes)!;
    expect(started2.activityTaskStartedEventAttributes?.attempt).toBe(2);
    const waitedMs = Number(started2.eventTime!.seconds) * 1000 - Number(scheduled.eventTime!.seconds) * 1000;
    expect(waitedMs).toBeGreaterThanOrEqual(3_600_000);
  });
  await connection.close();
}, 60_000);
