// Real activity implementations for the conformance suite. Each worker gets its own ActivityLog, so a test
// can count executions and observe what the activity saw (attempt numbers, heartbeat details, cancellation).
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';

export interface ActivityLog {
  /** Executions per activity name, across attempts and workers sharing this log. */
  calls: Record<string, number>;
  /** Attempt numbers seen by `alwaysFail`. */
  attempts: number[];
  /** Heartbeat details each attempt of `resumeFromHeartbeat` started with. */
  heartbeatDetailsSeen: unknown[];
  /** Activity ids whose execution observed a cancellation request. */
  cancelled: string[];
  /** Activity ids that are currently running (set on start, for tests that must act mid-activity). */
  started: string[];
  /** Read by the `isFixed` local activity: flipping it "deploys the fix" for a failing workflow task. */
  fixed: boolean;
}

export function newActivityLog(): ActivityLog {
  return { calls: {}, attempts: [], heartbeatDetailsSeen: [], cancelled: [], started: [], fixed: false };
}

export function createActivities(log: ActivityLog) {
  const count = (name: string) => {
    log.calls[name] = (log.calls[name] ?? 0) + 1;
  };
  return {
    async echo(value: string): Promise<string> {
      count('echo');
      return value;
    },

    async step(name: string): Promise<string> {
      count(name);
      return `${name} done`;
    },

    /** Fails on attempts 1 and 2, succeeds on attempt 3 and returns the attempt number. */
    async failTwice(): Promise<number> {
      count('failTwice');
      const { attempt } = Context.current().info;
      if (attempt < 3)
        throw ApplicationFailure.create({ type: 'Flaky', message: `attempt ${attempt} fails` });
      return attempt;
    },

    async alwaysFail(nonRetryable: boolean): Promise<never> {
      count('alwaysFail');
      log.attempts.push(Context.current().info.attempt);
      throw ApplicationFailure.create({ type: 'Boom', message: 'always fails', nonRetryable });
    },

    /**
     * First attempt records progress 41 through a heartbeat and fails; the retry must receive 41 back as
     * heartbeat details from the server and resumes from there.
     */
    async resumeFromHeartbeat(): Promise<number> {
      count('resumeFromHeartbeat');
      const ctx = Context.current();
      const previous = ctx.info.heartbeatDetails as number | undefined;
      log.heartbeatDetailsSeen.push(previous ?? null);
      if (previous === undefined) {
        ctx.heartbeat(41);
        // The first heartbeat is sent at once; give it time to reach the server before failing.
        await ctx.sleep(1_000);
        throw ApplicationFailure.create({ type: 'Interrupted', message: 'crashed after heartbeat' });
      }
      return previous + 1;
    },

    /** Sleeps in real time (cancellation-aware), never heartbeating. */
    async sleepFor(ms: number): Promise<string> {
      count('sleepFor');
      await Context.current().sleep(ms);
      return 'slept';
    },

    /** Heartbeats until the server delivers a cancellation; bounded so a broken server cannot hang a test. */
    async waitForCancel(): Promise<string> {
      count('waitForCancel');
      const ctx = Context.current();
      log.started.push(ctx.info.activityId);
      try {
        for (let i = 0; i < 200; i++) {
          ctx.heartbeat(i);
          await ctx.sleep(100);
        }
        return 'never cancelled';
      } catch (err) {
        if (err instanceof CancelledFailure) log.cancelled.push(ctx.info.activityId);
        throw err;
      }
    },

    async isFixed(): Promise<boolean> {
      count('isFixed');
      return log.fixed;
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
