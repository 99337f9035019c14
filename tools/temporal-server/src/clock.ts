// Virtual clock and timer wheel.
//
// Every server-side deadline (workflow timers, activity and workflow task timeouts, retry
// backoffs, run/execution timeouts, TestService sleeps) is scheduled here. Virtual time is
// wall-clock time plus an offset. With time skipping enabled and unlocked, whenever the server
// reports itself idle (no workflow or activity task pending or running) the offset jumps forward
// to the earliest scheduled deadline, so a 30-day timer fires at once.

export interface TimerHandle {
  readonly at: number;
  cancel(): void;
}

interface Entry extends TimerHandle {
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Binary min-heap ordered by (at, seq): O(log n) insert and pop, lazy deletion on cancel. */
class TimerHeap {
  private items: Entry[] = [];

  get size(): number {
    return this.items.length;
  }

  push(e: Entry): void {
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  /** Earliest live entry, dropping cancelled ones on the way. */
  peek(): Entry | undefined {
    while (this.items.length > 0 && this.items[0]!.cancelled) this.pop();
    return this.items[0];
  }

  pop(): Entry | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l]!, a[m]!)) m = l;
        if (r < a.length && less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

function less(x: Entry, y: Entry): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}

export class VirtualClock {
  private offset = 0;
  private lockCount: number;
  private seq = 0;
  private readonly heap = new TimerHeap();
  private wakeup: NodeJS.Timeout | null = null;
  private wakeupAt = Infinity;
  private checkQueued = false;
  private stopped = false;
  /** Supplied by the engine: true when no workflow or activity task is pending or running. */
  isIdle: () => boolean = () => true;

  /**
   * @param timeSkipping when false the clock is plain wall-clock time and never jumps.
   * @param startLocked Temporal's test server starts with the time-locking counter at 1 and the
   * SDK's TimeSkippingWorkflowClient unlocks it only while it waits for a result.
   */
  constructor(
    readonly timeSkipping: boolean,
    startLocked = false,
    /** Where virtual time begins (epoch ms), e.g. a past year to simulate; absent: now. */
    startAt?: number,
  ) {
    this.lockCount = timeSkipping && startLocked ? 1 : 0;
    if (startAt !== undefined) this.offset = startAt - Date.now();
  }

  now(): number {
    return Date.now() + this.offset;
  }

  get locked(): boolean {
    return this.lockCount > 0;
  }

  schedule(at: number, fn: () => void): TimerHandle {
    const entry: Entry = {
      at,
      seq: this.seq++,
      fn,
      cancelled: false,
      cancel: () => {
        entry.cancelled = true;
      },
    };
    this.heap.push(entry);
    this.poke();
    return entry;
  }

  after(ms: number, fn: () => void): TimerHandle {
    return this.schedule(this.now() + Math.max(0, ms), fn);
  }

  lock(): void {
    this.lockCount++;
  }

  unlock(): void {
    if (this.lockCount === 0)
      throw new Error('time skipping is already unlocked (unbalanced UnlockTimeSkipping)');
    this.lockCount--;
    this.poke();
  }

  /**
   * Resolves once virtual time reaches `at`. Sleeping does not count as pending work.
   * @param relock take the time-skipping lock at that instant, synchronously, so the clock cannot
   * skip past `at` before the caller's continuation runs (UnlockTimeSkippingWithSleep).
   */
  sleepUntil(at: number, relock = false): Promise<void> {
    return new Promise((resolve) =>
      this.schedule(at, () => {
        if (relock) this.lock();
        resolve();
      }),
    );
  }

  /** Re-evaluate due timers and the skip condition soon (coalesced per macrotask). */
  poke(): void {
    if (this.checkQueued || this.stopped) return;
    this.checkQueued = true;
    setImmediate(() => {
      this.checkQueued = false;
      this.check();
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.wakeup) clearTimeout(this.wakeup);
  }

  private check(): void {
    if (this.stopped) return;
    // Bounded so a burst of timers cannot starve the gRPC server; the rest runs on the next turn.
    for (let fired = 0; fired < 10_000; fired++) {
      const next = this.heap.peek();
      if (!next) break;
      const now = this.now();
      if (next.at > now) {
        if (!this.timeSkipping || this.lockCount > 0 || !this.isIdle()) break;
        this.offset += next.at - now;
      }
      this.heap.pop();
      next.fn();
    }
    this.armWakeup();
  }

  private armWakeup(): void {
    const next = this.heap.peek();
    const at = next ? next.at : Infinity;
    if (at === this.wakeupAt && this.wakeup) return;
    if (this.wakeup) clearTimeout(this.wakeup);
    this.wakeup = null;
    this.wakeupAt = at;
    if (at === Infinity) return;
    // setTimeout caps at ~24.8 days; a shorter wake-up just re-checks.
    const delay = Math.min(Math.max(0, at - this.now()), 2 ** 31 - 1);
    this.wakeup = setTimeout(() => {
      this.wakeup = null;
      this.wakeupAt = Infinity;
      this.check();
    }, delay);
  }
}
