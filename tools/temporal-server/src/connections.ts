// Which client connections are open, keyed by the peer address grpc-js reports for a call
// ("127.0.0.1:54321"). The server owns the listening socket (see server.ts) so it sees each TCP
// connection close, which grpc-js does not expose for calls that were already answered. A worker
// killed with SIGKILL never calls ShutdownWorker and never answers its running tasks; the engine
// learns from here that nobody is left to answer them.
import type { Socket } from 'node:net';

/** The connection a call arrived on. */
export interface ClientConnection {
  /** Runs `fn` once when the connection closes; the returned function cancels that. */
  onClose(fn: () => void): () => void;
}

export class Connections {
  private readonly open = new Map<string, Set<() => void>>();

  track(socket: Socket): void {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    const waiting = new Set<() => void>();
    this.open.set(peer, waiting);
    socket.once('close', () => {
      this.open.delete(peer);
      for (const fn of waiting) fn();
      waiting.clear();
    });
  }

  /** The connection of `peer`; an unknown peer is treated as closed. */
  of(peer: string): ClientConnection {
    return {
      onClose: (fn) => {
        const waiting = this.open.get(peer);
        if (!waiting) {
          queueMicrotask(fn);
          return () => undefined;
        }
        waiting.add(fn);
        return () => void waiting.delete(fn);
      },
    };
  }
}
