// List and count with the basic visibility filter (WorkflowType, WorkflowId, ExecutionStatus, StartTime).
// Own environment: counts must not see workflows from other test files.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, newActivityLog } from './activities';
import { createTestEnv, createWorker, uniqueName, waitUntil } from './env';
import { echo, failWith, waitForApproval } from './workflows/basics';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTestEnv();
});

afterAll(async () => {
  await env?.teardown();
});

async function listIds(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const info of env.client.workflow.list({ query })) ids.push(info.workflowId);
  return ids.sort();
}

describe('visibility', () => {
  it('lists and counts executions filtered by type, id, status and start time', async () => {
    const taskQueue = uniqueName('visibility');
    const worker = await createWorker(env, { taskQueue, activities: createActivities(newActivityLog()) });
    await worker.runUntil(async () => {
      const echoIds = [uniqueName('echo-a'), uniqueName('echo-b')];
      for (const workflowId of echoIds) {
        await env.client.workflow.execute(echo, { taskQueue, workflowId, args: [workflowId] });
      }
      // Separate the two batches in (virtual) time so StartTime filters have a clean boundary.
      await env.sleep('1 hour');
      const boundary = new Date(await env.currentTimeMs()).toISOString();
      const runningId = uniqueName('running');
      await env.client.workflow.start(waitForApproval, { taskQueue, workflowId: runningId });
      const failedId = uniqueName('failed');
      await env.client.workflow
        .execute(failWith, { taskQueue, workflowId: failedId, args: ['Listed'] })
        .catch(() => undefined);

      await waitUntil(
        () => env.client.workflow.count(),
        (c) => c.count === 4,
        'visibility to show all 4 executions',
      );
      expect((await env.client.workflow.count(`WorkflowType = 'echo'`)).count).toBe(2);
      expect((await env.client.workflow.count(`ExecutionStatus = 'Running'`)).count).toBe(1);
      expect((await env.client.workflow.count(`ExecutionStatus = 'Failed'`)).count).toBe(1);
      expect((await env.client.workflow.count(`StartTime >= '${boundary}'`)).count).toBe(2);
      expect((await env.client.workflow.count(`StartTime < '${boundary}'`)).count).toBe(2);

      expect(await listIds(`WorkflowType = 'echo' AND ExecutionStatus = 'Completed'`)).toEqual(
        [...echoIds].sort(),
      );
      expect(await listIds(`WorkflowId = '${runningId}'`)).toEqual([runningId]);
      expect(await listIds(`StartTime >= '${boundary}' AND ExecutionStatus = 'Failed'`)).toEqual([failedId]);

      // Paging: one execution per page must still yield all four, each once.
      const paged: string[] = [];
      for await (const info of env.client.workflow.list({ query: '', pageSize: 1 }))
        paged.push(info.workflowId);
      expect(paged.sort()).toEqual([...echoIds, runningId, failedId].sort());

      const listed = [];
      for await (const info of env.client.workflow.list({ query: `WorkflowId = '${runningId}'` })) {
        listed.push(info);
      }
      expect(listed[0]).toMatchObject({ type: 'waitForApproval', taskQueue, status: { name: 'RUNNING' } });
      await env.client.workflow.getHandle(runningId).terminate('cleanup');
      expect((await env.client.workflow.count(`ExecutionStatus = 'Terminated'`)).count).toBe(1);
    });
  });
});
