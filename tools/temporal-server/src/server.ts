// gRPC wiring: builds the method table from the protobufjs reflection root of @temporalio/proto, so
// every WorkflowService method exists; the ones without a handler answer UNIMPLEMENTED naming the
// method. The transport is unary-grpc.ts.
import { status } from '@grpc/grpc-js';
import { VirtualClock } from './clock.js';
import { Connections } from './connections.js';
import { Engine } from './engine.js';
import { RpcError, unimplemented } from './errors.js';
import { reflectionRoot, type ReflectedType } from './proto.js';
import { workflowServiceHandlers, type CallContext, type Handler } from './service.js';
import { testServiceHandlers } from './test-service.js';
import { createUnaryServer, type GrpcStatus, type UnaryMethod } from './unary-grpc.js';

export interface ServerOptions {
  /** 0 or absent: pick a free port. */
  port?: number;
  /** Listen address; loopback by default. */
  host?: string;
  /** Serve Temporal's TestService and skip virtual time when idle. */
  timeSkipping?: boolean;
  /**
   * Start with time skipping locked (counter 1), as Temporal's test server does; the SDK's
   * TestWorkflowEnvironment unlocks it around result(). Default false: in-process users
   * get time skipping right away.
   */
  startLocked?: boolean;
  /**
   * Where virtual time begins (epoch ms); absent: now. Only with time skipping. Temporal's own test server
   * always starts at the present, so a simulated year had to lie ahead of the day it was run; this lets a
   * simulation (and the tests pinned to one year) run any year, past ones included.
   */
  startAt?: number;
}

export interface RunningServer {
  address: string;
  port: number;
  engine: Engine;
  stop(): Promise<void>;
}

/** Longest time a long poll is held before answering "nothing" (Temporal uses about a minute). */
const MAX_LONG_POLL_MS = 60_000;
/** Largest request or response message, compressed or not (Temporal's histories can be large). */
const MAX_MESSAGE_BYTES = 128 * 1024 * 1024;

export async function startTemporalServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const clock = new VirtualClock(opts.timeSkipping ?? false, opts.startLocked ?? false, opts.startAt);
  const engine = new Engine(clock);
  const connections = new Connections();
  const methods = new Map<string, UnaryMethod>();
  const add = (name: string, handlers: Record<string, Handler>) =>
    addService(methods, name, handlers, connections);
  add('temporal.api.workflowservice.v1.WorkflowService', workflowServiceHandlers(engine));
  add('temporal.api.operatorservice.v1.OperatorService', {});
  add('temporal.api.testservice.v1.TestService', opts.timeSkipping ? testServiceHandlers(clock) : {});
  add('grpc.health.v1.Health', { Check: () => ({ status: 1 }) });

  // We see each TCP connection (to notice it close) as it is accepted.
  const server = createUnaryServer({
    methods,
    toStatus,
    maxMessageBytes: MAX_MESSAGE_BYTES,
    onConnection: (socket) => connections.track(socket),
  });
  const host = opts.host ?? '127.0.0.1';
  const port = await server.listen(opts.port ?? 0, host);
  return {
    address: `${host}:${port}`,
    port,
    engine,
    stop: () =>
      new Promise<void>((resolve) => {
        engine.stop();
        // Long polls would keep a graceful shutdown waiting for a minute.
        server.close();
        resolve();
      }),
  };
}

function addService(
  methods: Map<string, UnaryMethod>,
  name: string,
  handlers: Record<string, Handler>,
  connections: Connections,
): void {
  const service = reflectionRoot.lookupService(name);
  for (const [methodName, method] of Object.entries(service.methods)) {
    method.resolve();
    const reqType = method.resolvedRequestType as ReflectedType;
    const resType = method.resolvedResponseType as ReflectedType;
    const handler = handlers[methodName] as ((r: object, c: CallContext) => unknown) | undefined;
    const unimplementedError = unimplemented(`${name.split('.').pop()}.${methodName}`);
    methods.set(`/${name}/${methodName}`, {
      decode: (message) => reqType.decode(message),
      // Handlers answer with values of the wire types (numbers for enums and 64-bit ints, buffers for
      // bytes), so no fromObject pass: it would copy every history event of every poll response.
      encode: (response) => resType.encode(response).finish(),
      handle: (request, call) => {
        if (!handler) throw unimplementedError;
        return handler(request, {
          poll: {
            get signal() {
              return call.signal;
            },
            timeoutMs: longPollBudget(call.deadline),
            connection: connections.of(call.peer),
          },
        });
      },
    });
  }
}

function longPollBudget(deadline: number): number {
  if (!Number.isFinite(deadline) || deadline <= 0) return MAX_LONG_POLL_MS;
  // Answer a little before the client gives up so the empty response is not lost.
  return Math.max(0, Math.min(MAX_LONG_POLL_MS, deadline - Date.now() - 1000));
}

function toStatus(err: unknown, path: string): GrpcStatus {
  if (err instanceof RpcError) return err.toStatus();
  const method = path.slice(path.lastIndexOf('/') + 1);
  console.error(`[temporal-server] ${method} failed:`, err);
  return { code: status.INTERNAL, details: `${method}: ${(err as Error)?.message ?? String(err)}` };
}
