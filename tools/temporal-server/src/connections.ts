// Which client connections are open, keyed by the peer address of a call ("127.0.0.1:54321"). The
// server sees each TCP connection as it is accepted (see server.ts), so it sees it close, which a
// call that was already answered does not tell. A worker
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
      // A later connection may already reuse the port: forget only this one.
      if (this.open.get(peer) === waiting) this.open.delete(peer);
      for (const fn of waiting) fn();
      waiting.clear();
    });
  }

  /**
   * The connection of `peer`. A peer we do not know (a call outliving its socket) is never reported closed: its tasks then wait for their timeouts in real time, as before,
   * rather than letting virtual time run past a worker that may still be alive.
   */
  of(peer: string): ClientConnection {
    return {
      onClose: (fn) => {
        const waiting = this.open.get(peer);
        if (!waiting) return () => undefined;
        waiting.add(fn);
        return () => void waiting.delete(fn);
      },
    };
  }
}
