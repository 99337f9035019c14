// Eager activity dispatch, through the raw WorkflowService calls a worker makes: the activities a workflow task
// schedules with requestEagerExecution on its own task queue come back in RespondWorkflowTaskCompleted instead of
// waiting for an activity poll. Offline server only: Temporal's test server does not offer eager dispatch.
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTemporalServer, type RunningServer } from './index.js';

const { CommandType, EventType } = proto.temporal.api.enums.v1;

let server: RunningServer;
let connection: Connection;
beforeAll(async () => {
  server = await startTemporalServer({ timeSkipping: true });
  connection = await Connection.connect({ address: server.address });
});
afterAll(async () => {
  await connection?.close();
  await server?.stop();
});

function scheduleActivity(activityId: string, taskQueue: string, requestEagerExecution: boolean) {
  return {
    commandType: CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK,
    scheduleActivityTaskCommandAttributes: {
      activityId,
      activityType: { name: 'stamp' },
      taskQueue: { name: taskQueue },
      startToCloseTimeout: msToTs('1 minute'),
      requestEagerExecution,
    },
  };
}

it('hands eagerly requested activities on the workflow task queue to the completing worker, and queues the others', async () => {
  const service = connection.workflowService;
  const execution = { workflowId: 'eager-1' };
  await service.startWorkflowExecution({
    namespace: 'default',
    workflowId: execution.workflowId,
    workflowType: { name: 'eagerWorkflow' },
    taskQueue: { name: 'eager' },
    requestId: 'eager-start-1',
  });
  const wft = await service.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: 'eager' } });
  const answer: proto.temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedResponse =
    await service.respondWorkflowTaskCompleted({
      namespace: 'default',
      taskToken: wft.taskToken,
      commands: [
        scheduleActivity('eager-here', 'eager', true),
        scheduleActivity('eager-elsewhere', 'other', true),
        scheduleActivity('polled', 'eager', false),
      ],
    });

  expect((answer.activityTasks ?? []).map((task) => task.activityId)).toEqual(['eager-here']);
  const [eager] = answer.activityTasks ?? [];
  const polledHere = await service.pollActivityTaskQueue({
    namespace: 'default',
    taskQueue: { name: 'eager' },
  });
  const polledElsewhere = await service.pollActivityTaskQueue({
    namespace: 'default',
    taskQueue: { name: 'other' },
  });
  expect([polledHere.activityId, polledElsewhere.activityId]).toEqual(['polled', 'eager-elsewhere']);

  // The eager task is a started attempt like a polled one: its completion is recorded and wakes the workflow.
  await service.respondActivityTaskCompleted({ namespace: 'default', taskToken: eager!.taskToken });
  const history = await service.getWorkflowExecutionHistory({ namespace: 'default', execution });
  const types = (history.history?.events ?? []).map((event) => EventType[event.eventType ?? 0]);
  expect(types.slice(-4)).toEqual([
    'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
    'EVENT_TYPE_ACTIVITY_TASK_STARTED',
    'EVENT_TYPE_ACTIVITY_TASK_COMPLETED',
    'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
  ]);
});
