// gRPC wiring: builds grpc-js service definitions from the protobufjs reflection root of
// @temporalio/proto, so every WorkflowService method exists; the ones without a handler answer
// UNIMPLEMENTED naming the method.
import { createServer, type Server as NetServer } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { VirtualClock } from './clock.js';
import './gzip.js';
import { Connections } from './connections.js';
import { Engine } from './engine.js';
import { RpcError, unimplemented } from './errors.js';
import { reflectionRoot, type ReflectedType } from './proto.js';
import { workflowServiceHandlers, type CallContext, type Handler } from './service.js';
import { testServiceHandlers } from './test-service.js';

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

export async function startTemporalServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const clock = new VirtualClock(opts.timeSkipping ?? false, opts.startLocked ?? false, opts.startAt);
  const engine = new Engine(clock);
  const server = new grpc.Server({
    'grpc.max_receive_message_length': 128 * 1024 * 1024,
    'grpc.max_send_message_length': 128 * 1024 * 1024,
  });
  const connections = new Connections();
  const add = (name: string, handlers: Record<string, Handler>) =>
    addService(server, name, handlers, connections);
  add('temporal.api.workflowservice.v1.WorkflowService', workflowServiceHandlers(engine));
  add('temporal.api.operatorservice.v1.OperatorService', {});
  add('temporal.api.testservice.v1.TestService', opts.timeSkipping ? testServiceHandlers(clock) : {});
  add('grpc.health.v1.Health', { Check: () => ({ status: 1 }) });

  // We own the listening socket and hand each connection to grpc-js, so we see it close.
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const listener = createServer((socket) => {
    connections.track(socket);
    injector.injectConnection(socket);
  });
  const host = opts.host ?? '127.0.0.1';
  const port = await listen(listener, host, opts.port ?? 0);
  return {
    address: `${host}:${port}`,
    port,
    engine,
    stop: () =>
      new Promise<void>((resolve) => {
        engine.stop();
        // Long polls would keep a graceful shutdown waiting for a minute.
        server.forceShutdown();
        injector.destroy();
        listener.close();
        resolve();
      }),
  };
}

function listen(listener: NetServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(port, host, () => {
      listener.off('error', reject);
      const address = listener.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function addService(
  server: grpc.Server,
  name: string,
  handlers: Record<string, Handler>,
  connections: Connections,
): void {
  const service = reflectionRoot.lookupService(name);
  const definition: Record<string, grpc.MethodDefinition<object, object>> = {};
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const [methodName, method] of Object.entries(service.methods)) {
    method.resolve();
    const reqType = method.resolvedRequestType as ReflectedType;
    const resType = method.resolvedResponseType as ReflectedType;
    definition[methodName] = {
      path: `/${name}/${methodName}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (m: object) => Buffer.from(reqType.encode(m).finish()),
      requestDeserialize: (b: Buffer) => reqType.decode(b),
      responseSerialize: (m: object) => Buffer.from(resType.encode(resType.fromObject(m)).finish()),
      responseDeserialize: (b: Buffer) => resType.decode(b),
    };
    const handler = handlers[methodName];
    implementation[methodName] = (
      call: grpc.ServerUnaryCall<object, object>,
      callback: grpc.sendUnaryData<object>,
    ) => {
      if (!handler) return callback(unimplemented(`${name.split('.').pop()}.${methodName}`).toServiceError());
      const abort = new AbortController();
      call.on('cancelled', () => abort.abort());
      const ctx: CallContext = {
        poll: {
          signal: abort.signal,
          timeoutMs: longPollBudget(call.getDeadline()),
          connection: connections.of(call.getPeer()),
        },
      };
      Promise.resolve()
        .then(() => (handler as (r: object, c: CallContext) => unknown)(call.request, ctx))
        .then(
          (res) => callback(null, res as object),
          (err: unknown) => callback(toServiceError(err, methodName)),
        );
    };
  }
  server.addService(definition, implementation);
}

function longPollBudget(deadline: grpc.Deadline): number {
  const at = deadline instanceof Date ? deadline.getTime() : Number(deadline);
  if (!Number.isFinite(at) || at <= 0) return MAX_LONG_POLL_MS;
  // Answer a little before the client gives up so the empty response is not lost.
  return Math.max(0, Math.min(MAX_LONG_POLL_MS, at - Date.now() - 1000));
}

function toServiceError(err: unknown, method: string): Partial<grpc.StatusObject> {
  if (err instanceof RpcError) return err.toServiceError();
  console.error(`[temporal-server] ${method} failed:`, err);
  return { code: grpc.status.INTERNAL, details: `${method}: ${(err as Error)?.message ?? String(err)}` };
}
