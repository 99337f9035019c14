// Task tokens are opaque to workers; ours are small JSON documents naming what they refer to.
import { invalidArgument } from './errors.js';

export type TaskToken =
  | { k: 'wft'; runId: string; scheduledEventId: number; attempt: number }
  | { k: 'query'; queryId: string }
  | { k: 'act'; runId: string; scheduledEventId: number; attempt: number };

export function encodeToken(t: TaskToken): Buffer {
  return Buffer.from(JSON.stringify(t));
}

export function decodeToken(buf: Uint8Array | null | undefined): TaskToken {
  try {
    const t = JSON.parse(Buffer.from(buf ?? []).toString('utf8')) as TaskToken;
    if (t && typeof t === 'object' && typeof t.k === 'string') return t;
  } catch {
    // fall through to the error below
  }
  throw invalidArgument('malformed task token');
}
