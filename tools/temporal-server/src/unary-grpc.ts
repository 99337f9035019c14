// Unary gRPC over node:http2: the part of the gRPC protocol the Temporal SDKs use against this server
// (every WorkflowService, TestService and health method is unary), without a general gRPC framework.
//
// Why not @grpc/grpc-js' server: the bench:temporal profile (1,000 workflows, about 18,000 calls) put
// over half of the server's busy time in its per-call machinery (interceptor chain, metadata objects,
// a stream decoder and a deadline timer per call, and an AbortSignal fired with a DOMException for every
// call, answered or not, because grpc-js reports each closing stream as cancelled). The engine itself was
// under a tenth. What a call does here: read the request frames, decompress (the SDK's core gzips every
// request), decode, run the handler, encode, answer with headers, one frame and trailers.
//
// Behaviour kept from grpc-js, which the SDK clients see: status codes and messages (`grpc-message`
// URI-encoded, binary trailers base64), trailers-only error responses, UNIMPLEMENTED for unknown methods,
// the `grpc-timeout` deadline (DEADLINE_EXCEEDED when a pending call outlives it), the size limits, and
// cancellation (a stream closed before its answer aborts the call's signal).
import http2 from 'node:http2';
import type { Socket } from 'node:net';
import { gunzipSync, inflateSync } from 'node:zlib';
import { status } from '@grpc/grpc-js';

export interface GrpcStatus {
  code: status;
  details: string;
  /** Binary trailers (`-bin` keys), e.g. grpc-status-details-bin. */
  binaryTrailers?: Record<string, Uint8Array>;
}

export interface UnaryCall {
  /** Absolute deadline (epoch ms) from the client's grpc-timeout; Infinity when none was sent. */
  readonly deadline: number;
  /** Aborted when the client cancels the call or its deadline passes before the answer. */
  readonly signal: AbortSignal;
  /** Address and port of the client's end of the connection, e.g. "127.0.0.1:54321". */
  readonly peer: string;
}

export interface UnaryMethod {
  decode(message: Buffer): object;
  encode(response: object): Uint8Array;
  /** Returns the response, or a promise of it; throwing or rejecting answers with `toStatus(error)`. */
  handle(request: object, call: UnaryCall): unknown;
}

export interface UnaryServerOptions {
  /** Methods by path, e.g. `/temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution`. */
  methods: Map<string, UnaryMethod>;
  toStatus(error: unknown, path: string): GrpcStatus;
  maxMessageBytes: number;
  /** Called with each accepted TCP connection (to see it close). */
  onConnection(socket: Socket): void;
}

export interface UnaryServer {
  /** Listens on host:port (0: any free port) and resolves with the port. */
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting and drops every connection, with the calls still waiting on them. */
  close(): void;
}

const OK_HEADERS = {
  ':status': 200,
  'content-type': 'application/grpc+proto',
  'grpc-accept-encoding': 'identity,deflate,gzip',
  'grpc-encoding': 'identity',
};
const OK_TRAILERS = { 'grpc-status': String(status.OK), 'grpc-message': 'OK' };
const DEADLINE = /(\d{1,8})\s*([HMSmun])/;
const UNIT_MS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000001 };

export function createUnaryServer(opts: UnaryServerOptions): UnaryServer {
  const server = http2.createServer({
    // As grpc-js: Node's per-session memory cap degrades badly when reached, so it is effectively off.
    maxSessionMemory: Number.MAX_SAFE_INTEGER,
    maxSendHeaderBlockLength: Number.MAX_SAFE_INTEGER,
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  /** The peer of each session, read once: the session's socket is a proxy, slow to read per call. */
  const peers = new WeakMap<http2.Http2Session, string>();
  server.on('connection', (socket: Socket) => {
    // Every call is a small request answered by small writes (headers, data, then trailers once the
    // data is out): with Nagle's algorithm a write waits for the ACK of the previous one, and calls
    // stall on the client's delayed ACKs. The SDK's clients disable it on their side too.
    socket.setNoDelay(true);
    opts.onConnection(socket);
  });
  server.on('session', (session) => {
    sessions.add(session);
    peers.set(session, `${session.socket.remoteAddress}:${session.socket.remotePort}`);
    session.once('close', () => sessions.delete(session));
    session.on('error', ignore); // a peer that resets the connection is no server error
  });
  server.on('stream', (stream, headers) =>
    serveCall(stream, headers, opts, peers.get(stream.session!) ?? ''),
  );
  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    close: () => {
      for (const session of sessions) session.destroy();
      server.close();
    },
  };
}

function serveCall(
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
  opts: UnaryServerOptions,
  peer: string,
): void {
  const path = headers[':path'] ?? '';
  let answered = false;
  let aborter: AbortController | null = null;
  let deadlineTimer: NodeJS.Timeout | null = null;

  const cancel = () => {
    if (deadlineTimer) clearTimeout(deadlineTimer);
    if (answered) return;
    answered = true;
    aborter?.abort();
  };
  const finish = (): boolean => {
    if (answered || stream.closed || stream.destroyed) return false;
    answered = true;
    if (deadlineTimer) clearTimeout(deadlineTimer);
    return true;
  };
  const fail = (s: GrpcStatus) => {
    if (!finish()) return;
    answerOrReset(stream, () => {
      const trailers: Record<string, string | number> = {
        ...OK_HEADERS,
        'grpc-status': String(s.code),
        'grpc-message': encodeURI(s.details),
      };
      for (const [key, value] of Object.entries(s.binaryTrailers ?? {}))
        trailers[key] = Buffer.from(value).toString('base64');
      stream.respond(trailers, { endStream: true });
    });
  };
  const succeed = (method: UnaryMethod, response: unknown) => {
    if (answered) return;
    let body: Uint8Array;
    try {
      body = method.encode(response as object);
    } catch {
      return fail({ code: status.INTERNAL, details: 'Error serializing response' });
    }
    if (body.length > opts.maxMessageBytes) {
      return fail({
        code: status.RESOURCE_EXHAUSTED,
        details: `Sent message larger than max (${body.length + 5} vs. ${opts.maxMessageBytes})`,
      });
    }
    if (!finish()) return;
    const frame = Buffer.allocUnsafe(body.length + 5);
    frame[0] = 0;
    frame.writeUInt32BE(body.length, 1);
    frame.set(body, 5);
    answerOrReset(stream, () => {
      stream.respond(OK_HEADERS, { waitForTrailers: true });
      stream.once('wantTrailers', sendOkTrailers);
      stream.end(frame);
    });
  };

  stream.on('error', ignore); // reset by the client: 'close' below cancels the call
  stream.once('close', cancel);

  const method = opts.methods.get(path);
  if (!method) {
    stream.resume();
    return fail({ code: status.UNIMPLEMENTED, details: `The server does not implement the method ${path}` });
  }
  let deadline = Infinity;
  const timeout = headers['grpc-timeout'];
  if (timeout !== undefined) {
    const match = DEADLINE.exec(String(timeout));
    if (!match) {
      stream.resume();
      return fail({ code: status.INTERNAL, details: `Invalid grpc-timeout value "${timeout}"` });
    }
    deadline = Date.now() + ((Number(match[1]) * UNIT_MS[match[2]!]!) | 0);
  }
  const encoding = String(headers['grpc-encoding'] ?? 'identity');

  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.once('end', () => {
    if (answered) return;
    let request: object;
    try {
      request = method.decode(readMessage(chunks, encoding, opts.maxMessageBytes));
    } catch (error) {
      return fail(
        isStatus(error) ? error : { code: status.INTERNAL, details: 'Error deserializing request' },
      );
    }
    const call: UnaryCall = {
      deadline,
      get signal() {
        if (!aborter) {
          aborter = new AbortController();
          if (answered) aborter.abort();
        }
        return aborter.signal;
      },
      peer,
    };
    let result: unknown;
    try {
      result = method.handle(request, call);
    } catch (error) {
      return fail(opts.toStatus(error, path));
    }
    if (!(result instanceof Promise)) return succeed(method, result);
    if (deadline !== Infinity) {
      deadlineTimer = setTimeout(
        () => {
          fail({ code: status.DEADLINE_EXCEEDED, details: 'Deadline exceeded' });
          aborter?.abort();
        },
        Math.max(0, deadline - Date.now()),
      );
    }
    result.then(
      (response) => succeed(method, response),
      (error: unknown) => fail(opts.toStatus(error, path)),
    );
  });
}

function ignore(): void {}

function sendOkTrailers(this: http2.ServerHttp2Stream): void {
  this.sendTrailers(OK_TRAILERS);
}

/**
 * Answers run in promise callbacks: a throw there (a stream the session tore down meanwhile, a message
 * encodeURI cannot encode) would be an unhandled rejection that stops the server. The client gets a
 * reset stream instead.
 */
function answerOrReset(stream: http2.ServerHttp2Stream, answer: () => void): void {
  try {
    answer();
  } catch {
    stream.destroy();
  }
}

/** The one length-prefixed message of a unary request, decompressed. */
function readMessage(chunks: Buffer[], encoding: string, maxBytes: number): Buffer {
  const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  if (data.length < 5) throw { code: status.INTERNAL, details: 'No message received' } satisfies GrpcStatus;
  const length = data.readUInt32BE(1);
  if (length > maxBytes) {
    throw {
      code: status.RESOURCE_EXHAUSTED,
      details: `Received message larger than max (${length} vs. ${maxBytes})`,
    } satisfies GrpcStatus;
  }
  const message = data.subarray(5, 5 + length);
  if (data[0] === 0 || encoding === 'identity') return message;
  if (encoding !== 'gzip' && encoding !== 'deflate') {
    throw {
      code: status.UNIMPLEMENTED,
      details: `Received message compressed with unsupported encoding "${encoding}"`,
    } satisfies GrpcStatus;
  }
  try {
    return (encoding === 'gzip' ? gunzipSync : inflateSync)(message, { maxOutputLength: maxBytes });
  } catch (error) {
    throw (
      (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
        ? {
            code: status.RESOURCE_EXHAUSTED,
            details: `Received message that decompresses to a size larger than ${maxBytes}`,
          }
        : { code: status.INTERNAL, details: 'Failed to decompress message' }
    ) satisfies GrpcStatus;
  }
}

function isStatus(value: unknown): value is GrpcStatus {
  return typeof value === 'object' && value !== null && 'code' in value && 'details' in value;
}
