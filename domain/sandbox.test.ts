/**
 * The domain must run inside Temporal's workflow sandbox: bundled by the SDK's bundler (which refuses Node
 * built-ins) and executed in its deterministic V8 context, with the same results as in plain Node. A real
 * replay worker runs a recorded one-task history of `domainProbeWorkflow`; any error or different result
 * inside the sandbox fails the replay.
 */
import { fileURLToPath } from 'node:url';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import {
  bundleWorkflowCode,
  DefaultLogger,
  makeTelemetryFilterString,
  Runtime,
  Worker,
} from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { domainProbe } from './sandbox/probe-workflow';

const EventType = temporal.api.enums.v1.EventType;

const workflowsPath = fileURLToPath(new URL('./sandbox/probe-workflow.ts', import.meta.url));

function history(input: unknown): temporal.api.history.v1.IHistory {
  const payloads = { payloads: [defaultPayloadConverter.toPayload(input)] };
  const eventTime = { seconds: Date.UTC(2027, 0, 1, 8) / 1000 };
  const timeout = { seconds: 10 };
  // Plain objects: fromObject converts numbers to Long and enum names to values.
  const events: Record<string, unknown>[] = [
    {
      eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
      workflowExecutionStartedEventAttributes: {
        workflowType: { name: 'domainProbeWorkflow' },
        taskQueue: { name: 'domain-sandbox' },
        input: payloads,
        workflowTaskTimeout: timeout,
        originalExecutionRunId: 'run-1',
        firstExecutionRunId: 'run-1',
        attempt: 1,
      },
    },
    {
      eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
      workflowTaskScheduledEventAttributes: {
        taskQueue: { name: 'domain-sandbox' },
        startToCloseTimeout: timeout,
        attempt: 1,
      },
    },
    {
      eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
      workflowTaskStartedEventAttributes: { scheduledEventId: 2, requestId: 'r1' },
    },
    {
      eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
      workflowTaskCompletedEventAttributes: { scheduledEventId: 2, startedEventId: 3 },
    },
    {
      eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
      workflowExecutionCompletedEventAttributes: { result: payloads, workflowTaskCompletedEventId: 4 },
    },
  ];
  return temporal.api.history.v1.History.fromObject({
    events: events.map((e, i) => ({ ...e, eventId: i + 1, eventTime })),
  });
}

describe('domain inside the Temporal workflow sandbox', () => {
  // The failing replay below logs a workflow task failure by design: keep the output for real errors.
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
  });

  it('bundles without Node built-ins and replays with the same results as in Node', async () => {
    const workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
    expect(workflowBundle.code.length).toBeGreaterThan(0);
    const expected = domainProbe();
    await Worker.runReplayHistory({ workflowBundle }, history(expected), 'probe');
    // The same history with a different expected value must fail: the check inside the sandbox is live.
    await expect(
      Worker.runReplayHistory({ workflowBundle }, history(`${expected} `), 'probe-bad'),
    ).rejects.toThrow(/Sandbox result differs/);
  });
});

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
