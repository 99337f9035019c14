/**
 * Decompresses gzip (and deflate) request messages in one synchronous zlib call instead of grpc-js' zlib
 * stream per message (a Gunzip object, its events and a promise each time).
 *
 * Why: the Temporal SDK's core compresses every request it sends with gzip, so each poll, completion and
 * heartbeat the offline server receives is one small gzip member. The bench:temporal profile put about a
 * sixth of the server's CPU in grpc-js' per-message stream. The bytes out are the same, the size limit is
 * the same (more than grpc.max_receive_message_length -> RESOURCE_EXHAUSTED), and a corrupt message is
 * still INTERNAL "Failed to decompress message". Other encodings take grpc-js' own path.
 *
 * This patches grpc-js' server call class (its build/src/server-interceptors.js, v1.x); the server's tests
 * exercise it, since every SDK request arrives compressed.
 */
import { createRequire } from 'node:module';
import { gunzipSync, inflateSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';

interface ServerCall {
  maxReceiveMessageSize: number;
  decompressMessage(message: Buffer, encoding: string): Buffer | Promise<Buffer>;
}

const { BaseServerInterceptingCall } = createRequire(import.meta.url)(
  '@grpc/grpc-js/build/src/server-interceptors.js',
) as { BaseServerInterceptingCall: { prototype: ServerCall } };

const streamed = BaseServerInterceptingCall.prototype.decompressMessage;

BaseServerInterceptingCall.prototype.decompressMessage = function (
  this: ServerCall,
  message: Buffer,
  encoding: string,
) {
  if (encoding !== 'gzip' && encoding !== 'deflate') return streamed.call(this, message, encoding);
  const limit = this.maxReceiveMessageSize;
  const options = limit === -1 ? {} : { maxOutputLength: limit };
  try {
    return (encoding === 'gzip' ? gunzipSync : inflateSync)(message.subarray(5), options);
  } catch (error) {
    throw (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
      ? {
          code: grpc.status.RESOURCE_EXHAUSTED,
          details: `Received message that decompresses to a size larger than ${limit}`,
        }
      : { code: grpc.status.INTERNAL, details: 'Failed to decompress message' };
  }
};
