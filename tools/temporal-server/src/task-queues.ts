// Named FIFO task queues with long-polling consumers.
//
// A task handed to add() goes straight to the oldest waiting poller, or is queued. Tasks can go
// stale while queued (the workflow closed, the task moved to another queue); the caller checks
// that when it takes a task and simply polls again.

export interface PollOptions {
  /** Give up and resolve null after this many ms (Temporal answers an empty poll after ~60 s). */
  timeoutMs: number;
  /** Aborted when the gRPC call is cancelled, e.g. at worker shutdown. */
  signal: AbortSignal;
}

interface Waiter<T> {
  resolve(task: T | null): void;
}

class Queue<T> {
  tasks: T[] = [];
  head = 0;
  waiters: Waiter<T>[] = [];

  shift(): T | undefined {
    if (this.head >= this.tasks.length) return undefined;
    const t = this.tasks[this.head++];
    // Compact occasionally instead of Array.shift() on every take (O(n) each).
    if (this.head > 1024 && this.head * 2 > this.tasks.length) {
      this.tasks = this.tasks.slice(this.head);
      this.head = 0;
    }
    return t;
  }

  get backlog(): number {
    return this.tasks.length - this.head;
  }
}

export class TaskQueues<T> {
  private readonly queues = new Map<string, Queue<T>>();

  private queue(name: string): Queue<T> {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue<T>();
      this.queues.set(name, q);
    }
    return q;
  }

  add(name: string, task: T): void {
    const q = this.queue(name);
    const waiter = q.waiters.shift();
    if (waiter) waiter.resolve(task);
    else q.tasks.push(task);
  }

  /** Put back a task whose poller went away before it could be delivered. */
  addFront(name: string, task: T): void {
    const q = this.queue(name);
    const waiter = q.waiters.shift();
    if (waiter) return waiter.resolve(task);
    if (q.head > 0) q.tasks[--q.head] = task;
    else q.tasks.unshift(task);
  }

  backlog(name: string): number {
    return this.queues.get(name)?.backlog ?? 0;
  }

  hasPollers(name: string): boolean {
    return (this.queues.get(name)?.waiters.length ?? 0) > 0;
  }

  poll(name: string, opts: PollOptions): Promise<T | null> {
    const q = this.queue(name);
    const ready = q.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (opts.signal.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const done = (task: T | null) => {
        clearTimeout(timer);
        opts.signal.removeEventListener('abort', onAbort);
        resolve(task);
      };
      const waiter: Waiter<T> = { resolve: done };
      const remove = () => {
        const i = q.waiters.indexOf(waiter);
        if (i >= 0) q.waiters.splice(i, 1);
      };
      const onAbort = () => {
        remove();
        done(null);
      };
      const timer = setTimeout(onAbort, opts.timeoutMs);
      opts.signal.addEventListener('abort', onAbort);
      q.waiters.push(waiter);
    });
  }

  /** Answer every poller of a queue with "no task" (used when a sticky worker shuts down). */
  releasePollers(name: string): void {
    const q = this.queues.get(name);
    if (!q) return;
    for (const w of q.waiters.splice(0)) w.resolve(null);
  }

  /** Remove and return the queued tasks of a queue. */
  drain(name: string): T[] {
    const q = this.queues.get(name);
    if (!q) return [];
    const rest = q.tasks.slice(q.head);
    q.tasks = [];
    q.head = 0;
    return rest;
  }
}

/** Task queue names are scoped by namespace. */
export function queueKey(namespace: string, name: string): string {
  return `${namespace}\u0000${name}`;
}
