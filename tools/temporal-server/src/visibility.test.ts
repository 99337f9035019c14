import { expect, it } from 'vitest';
import { VirtualClock } from './clock.js';
import { Engine } from './engine.js';
import { countRuns, listRuns } from './visibility.js';

const json = (v: unknown) => ({
  metadata: { encoding: Buffer.from('json/plain') },
  data: Buffer.from(JSON.stringify(v)),
});

function engineWithRuns(): Engine {
  const engine = new Engine(new VirtualClock(false));
  const start = (workflowId: string, workflowType: string, attrs: Record<string, unknown>) =>
    engine.startWorkflow({
      namespace: 'default',
      workflowId,
      workflowType: { name: workflowType },
      taskQueue: { name: 'q' },
      searchAttributes: {
        indexedFields: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, json(v)])),
      },
    });
  start('meeting-1', 'meeting', { Ambito: 'cremasco', Tags: ['cr', 'assemblea'], Seats: 3 });
  start('meeting-2', 'meeting', { Ambito: 'cremasco', Tags: ['udp'], Seats: 12 });
  const { run } = start('deliverable-1', 'deliverable', { Ambito: 'altro' });
  engine.terminate(run, 'test', null, 'test');
  return engine;
}

it('filters on built-in fields, status and custom search attributes', () => {
  const engine = engineWithRuns();
  const ids = (q: string) =>
    listRuns(engine.allRuns, 'default', q, 0, null).executions.map(
      (e) => (e.execution as { workflowId: string }).workflowId,
    );
  expect(ids('')).toEqual(['deliverable-1', 'meeting-2', 'meeting-1']);
  expect(ids("WorkflowType = 'meeting' AND ExecutionStatus = 'Running'")).toEqual(['meeting-2', 'meeting-1']);
  expect(ids("ExecutionStatus = 'Terminated' OR WorkflowId STARTS_WITH 'meeting-1'")).toEqual([
    'deliverable-1',
    'meeting-1',
  ]);
  expect(ids("Ambito = 'cremasco' AND Tags = 'udp'")).toEqual(['meeting-2']);
  expect(ids('Seats > 5')).toEqual(['meeting-2']);
  expect(ids("(Ambito != 'cremasco') ORDER BY StartTime DESC")).toEqual(['deliverable-1']);
  expect(ids(`StartTime > '${new Date(Date.now() + 60_000).toISOString()}'`)).toEqual([]);
  expect(countRuns(engine.allRuns, 'default', "WorkflowType = 'meeting'")).toBe(2);
  expect(countRuns(engine.allRuns, 'other', '')).toBe(0);
});

it('pages with a page token and rejects malformed queries with a clear error', () => {
  const engine = engineWithRuns();
  const first = listRuns(engine.allRuns, 'default', '', 2, null);
  expect(first.executions).toHaveLength(2);
  const second = listRuns(engine.allRuns, 'default', '', 2, first.nextPageToken);
  expect(second.executions).toHaveLength(1);
  expect(second.nextPageToken).toHaveLength(0);
  expect(() => listRuns(engine.allRuns, 'default', "ExecutionStatus = 'Sleeping'", 0, null)).toThrow(
    /unknown ExecutionStatus/,
  );
  expect(() => listRuns(engine.allRuns, 'default', "WorkflowId LIKE 'x'", 0, null)).toThrow(
    /unsupported operator/,
  );
  expect(() => listRuns(engine.allRuns, 'default', "(WorkflowId = 'x'", 0, null)).toThrow(
    /missing "\)"|unexpected end/,
  );
});
