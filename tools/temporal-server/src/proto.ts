// Thin layer over @temporalio/proto: the reflection root, enum aliases and
// conversions between protobuf Timestamp/Duration and milliseconds.
import protoRoot from '@temporalio/proto';
import type { temporal } from '@temporalio/proto';

// The package is CommonJS with a computed export, so values come from the default export;
// `temporal` is re-exported for type positions only.
export type { temporal };
export const pb = protoRoot;

/** Minimal view of the protobufjs reflection root, used to build gRPC service definitions. */
interface ReflectedMethod {
  name: string;
  requestStream?: boolean;
  responseStream?: boolean;
  resolvedRequestType: ReflectedType | null;
  resolvedResponseType: ReflectedType | null;
  resolve(): void;
}
export interface ReflectedType {
  decode(buf: Uint8Array): object;
  encode(msg: object): { finish(): Uint8Array };
}
export const reflectionRoot = protoRoot as unknown as {
  lookupService(name: string): { methods: Record<string, ReflectedMethod> };
};

export const api = protoRoot.temporal.api;
export const hist = api.history.v1;
export const enums = api.enums.v1;

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
export type Execution = temporal.api.common.v1.IWorkflowExecution;
export type Command = temporal.api.command.v1.ICommand;

export const EventType = enums.EventType;
export const Status = enums.WorkflowExecutionStatus;
export const RetryState = enums.RetryState;

export interface DurationLike {
  seconds?: { toString(): string } | number | string | null;
  nanos?: number | null;
}

/** Protobuf Duration/Timestamp to milliseconds; absent or zero means "not set". */
export function toMs(d: DurationLike | null | undefined): number {
  if (!d) return 0;
  const s = d.seconds == null ? 0 : Number(d.seconds.toString());
  return s * 1000 + Math.floor((d.nanos ?? 0) / 1e6);
}

export type Duration = { seconds: number; nanos: number };

export function fromMs(ms: number): Duration {
  const whole = Math.floor(ms / 1000);
  return { seconds: whole, nanos: Math.round((ms - whole * 1000) * 1e6) };
}

/** Optional duration: undefined when ms is 0 so that unset fields stay unset in history. */
export function optDuration(ms: number): Duration | undefined {
  return ms > 0 ? fromMs(ms) : undefined;
}
