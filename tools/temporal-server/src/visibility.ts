// Visibility: execution info for Describe/List/Count and a small parser for the list filter
// language (a subset of Temporal's SQL-like visibility queries).
//
// Supported: WorkflowId, WorkflowType, RunId, TaskQueue, ExecutionStatus, StartTime, CloseTime
// and any search attribute set on the run (JSON payloads, as the SDKs write them), compared with
// = != > >= < <= (and STARTS_WITH for strings), combined with AND / OR and parentheses; a
// trailing ORDER BY is ignored (results are newest first). A list-valued attribute (KeywordList)
// matches when any element does.
import { invalidArgument } from './errors.js';
import { fromMs, Status } from './proto.js';
import type { Run } from './run.js';

export function executionInfo(run: Run): Record<string, unknown> {
  const parent = run.config.parent;
  return {
    execution: run.execution,
    type: { name: run.workflowType },
    startTime: fromMs(run.startTime),
    closeTime: run.closeTime ? fromMs(run.closeTime) : undefined,
    status: run.status,
    historyLength: run.history.length,
    parentExecution: parent ? { workflowId: parent.workflowId, runId: parent.runId } : undefined,
    executionTime: fromMs(run.startTime + run.config.firstTaskDelayMs),
    memo: run.memo ?? undefined,
    searchAttributes: run.searchAttributes ?? undefined,
    taskQueue: run.taskQueue,
    rootExecution: run.config.root,
    firstRunId: run.firstRunId,
    executionDuration: run.closeTime ? fromMs(run.closeTime - run.startTime) : undefined,
  };
}

type Predicate = (run: Run) => boolean;

const statusNames: Record<string, number> = {
  running: Status.WORKFLOW_EXECUTION_STATUS_RUNNING,
  completed: Status.WORKFLOW_EXECUTION_STATUS_COMPLETED,
  failed: Status.WORKFLOW_EXECUTION_STATUS_FAILED,
  canceled: Status.WORKFLOW_EXECUTION_STATUS_CANCELED,
  terminated: Status.WORKFLOW_EXECUTION_STATUS_TERMINATED,
  continuedasnew: Status.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW,
  timedout: Status.WORKFLOW_EXECUTION_STATUS_TIMED_OUT,
};

type Value = string | number;
type Getter = (run: Run) => Value | undefined;

const fields: Record<string, Getter> = {
  workflowid: (r) => r.workflowId,
  workflowtype: (r) => r.workflowType,
  runid: (r) => r.runId,
  taskqueue: (r) => r.taskQueue,
  executionstatus: (r) => r.status,
  starttime: (r) => r.startTime,
  closetime: (r) => r.closeTime || undefined,
};

/** Tokens: quoted strings, parentheses, operators, bare words. */
function tokenize(q: string): string[] {
  const re = /\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\(|\)|!=|>=|<=|=|>|<|[^\s()=!<>]+)/gy;
  const out: string[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(q)) !== null) {
    if (m[1] === undefined) break;
    out.push(m[1]);
    if (re.lastIndex >= q.length) break;
  }
  if (out.join('').replace(/\s/g, '') !== q.replace(/\s/g, ''))
    throw invalidArgument(`invalid visibility query: ${q}`);
  return out;
}

export function parseQuery(query: string | null | undefined): Predicate {
  const text = (query ?? '').replace(/\s+order\s+by\s+.*$/i, '').trim();
  if (!text) return () => true;
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => {
    const t = tokens[i++];
    if (t === undefined) throw invalidArgument(`invalid visibility query (unexpected end): ${query}`);
    return t;
  };

  const orExpr = (): Predicate => {
    let left = andExpr();
    while (peek()?.toUpperCase() === 'OR') {
      next();
      const l = left;
      const r = andExpr();
      left = (run) => l(run) || r(run);
    }
    return left;
  };
  const andExpr = (): Predicate => {
    let left = term();
    while (peek()?.toUpperCase() === 'AND') {
      next();
      const l = left;
      const r = term();
      left = (run) => l(run) && r(run);
    }
    return left;
  };
  const term = (): Predicate => {
    if (peek() === '(') {
      next();
      const inner = orExpr();
      if (next() !== ')') throw invalidArgument(`invalid visibility query (missing ")"): ${query}`);
      return inner;
    }
    const field = next();
    const builtIn = fields[field.toLowerCase()];
    const op = next().toUpperCase();
    const raw = unquote(next());
    if (!builtIn) return comparison(searchAttribute(field), op, raw, query ?? '');
    const getter = (run: Run) => {
      const v = builtIn(run);
      return v === undefined ? [] : [v];
    };
    const value = literal(field.toLowerCase(), raw);
    return comparison(getter, op, value, query ?? '');
  };

  const pred = orExpr();
  if (i !== tokens.length) throw invalidArgument(`invalid visibility query near "${tokens[i]}": ${query}`);
  return pred;
}

function unquote(t: string): string {
  if ((t.startsWith("'") && t.endsWith("'")) || (t.startsWith('"') && t.endsWith('"'))) return t.slice(1, -1);
  return t;
}

function literal(field: string, raw: string): string | number {
  if (field === 'executionstatus') {
    const s = statusNames[raw.toLowerCase().replace(/_/g, '')];
    if (s === undefined) throw invalidArgument(`unknown ExecutionStatus "${raw}"`);
    return s;
  }
  if (field === 'starttime' || field === 'closetime') {
    const ms = Date.parse(raw);
    if (Number.isNaN(ms)) throw invalidArgument(`invalid time "${raw}" (use RFC 3339)`);
    return ms;
  }
  return raw;
}

/** Values of a custom search attribute: JSON payloads, a list for KeywordList attributes. */
function searchAttribute(name: string): (run: Run) => Value[] {
  return (run) => {
    const payload = run.searchAttributes?.indexedFields?.[name];
    if (!payload?.data) return [];
    try {
      const decoded: unknown = JSON.parse(Buffer.from(payload.data).toString('utf8'));
      const list = Array.isArray(decoded) ? decoded : [decoded];
      return list.filter((v): v is Value => typeof v === 'string' || typeof v === 'number');
    } catch {
      return [];
    }
  };
}

function comparison(get: (run: Run) => Value[], op: string, literalValue: Value, query: string): Predicate {
  const test = (test: (v: Value, value: Value) => boolean) => (run: Run) =>
    get(run).some((v) => {
      // Numbers compare as numbers when both sides are numeric.
      const value =
        typeof v === 'number' && typeof literalValue === 'string' ? Number(literalValue) : literalValue;
      return test(v, value);
    });
  switch (op) {
    case '=':
      return test((v, value) => v === value);
    case '!=': {
      const eq = test((v, value) => v === value);
      return (r) => !eq(r);
    }
    case '>':
      return test((v, value) => v > value);
    case '>=':
      return test((v, value) => v >= value);
    case '<':
      return test((v, value) => v < value);
    case '<=':
      return test((v, value) => v <= value);
    case 'STARTS_WITH':
      return test((v, value) => String(v).startsWith(String(value)));
    default:
      throw invalidArgument(`unsupported operator "${op}" in visibility query: ${query}`);
  }
}

/** List newest first with offset-based page tokens. */
export function listRuns(
  runs: readonly Run[],
  namespace: string,
  query: string | null | undefined,
  pageSize: number,
  pageToken: Uint8Array | null | undefined,
): { executions: Array<Record<string, unknown>>; nextPageToken: Uint8Array } {
  const pred = parseQuery(query);
  const matched = runs.filter((r) => r.namespace === namespace && pred(r)).reverse();
  const offset = pageToken?.length ? Number(Buffer.from(pageToken).toString()) : 0;
  const size = pageSize > 0 ? pageSize : 1000;
  const page = matched.slice(offset, offset + size);
  const more = offset + size < matched.length;
  return {
    executions: page.map(executionInfo),
    nextPageToken: more ? Buffer.from(String(offset + size)) : new Uint8Array(),
  };
}

export function countRuns(runs: readonly Run[], namespace: string, query: string | null | undefined): number {
  const pred = parseQuery(query);
  let n = 0;
  for (const r of runs) if (r.namespace === namespace && pred(r)) n++;
  return n;
}
