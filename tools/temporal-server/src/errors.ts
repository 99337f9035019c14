// gRPC errors in the shape the Temporal SDKs recognise (status code + optional
// google.rpc.Status details in the `grpc-status-details-bin` trailer).
import { status } from '@grpc/grpc-js';
import { pb, type temporal } from './proto.js';
import type { GrpcStatus } from './unary-grpc.js';

export class RpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
    readonly detail?: { typeName: string; bytes: Uint8Array },
  ) {
    super(message);
  }

  toStatus(): GrpcStatus {
    if (!this.detail) return { code: this.code, details: this.message };
    const st = pb.google.rpc.Status.encode({
      code: this.code,
      message: this.message,
      details: [{ type_url: `type.googleapis.com/${this.detail.typeName}`, value: this.detail.bytes }],
    }).finish();
    return { code: this.code, details: this.message, binaryTrailers: { 'grpc-status-details-bin': st } };
  }
}

export const notFound = (what: string) => new RpcError(status.NOT_FOUND, what);
export const invalidArgument = (what: string) => new RpcError(status.INVALID_ARGUMENT, what);
export const unimplemented = (method: string) =>
  new RpcError(status.UNIMPLEMENTED, `${method} is not implemented by the in-memory Temporal server`);

export function workflowNotFound(workflowId: string, runId?: string | null): RpcError {
  return notFound(`workflow execution not found: workflowId=${workflowId}${runId ? ` runId=${runId}` : ''}`);
}

export function alreadyStarted(workflowId: string, startRequestId: string, runId: string): RpcError {
  const bytes = pb.temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure.encode({
    startRequestId,
    runId,
  }).finish();
  return new RpcError(
    status.ALREADY_EXISTS,
    `Workflow execution is already running. WorkflowId: ${workflowId}, RunId: ${runId}.`,
    {
      typeName: 'temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure',
      bytes,
    },
  );
}

export function queryFailed(message: string, failure?: temporal.api.failure.v1.IFailure | null): RpcError {
  const bytes = pb.temporal.api.errordetails.v1.QueryFailedFailure.encode({
    failure: failure ?? undefined,
  }).finish();
  return new RpcError(status.INVALID_ARGUMENT, message, {
    typeName: 'temporal.api.errordetails.v1.QueryFailedFailure',
    bytes,
  });
}
