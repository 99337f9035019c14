// temporal.api.testservice.v1.TestService: time-skipping controls used by
// @temporalio/testing's TestWorkflowEnvironment.createTimeSkipping().
import { status } from '@grpc/grpc-js';
import type { VirtualClock } from './clock.js';
import { RpcError } from './errors.js';
import { fromMs, toMs, type DurationLike } from './proto.js';
import type { Handler } from './service.js';

export function testServiceHandlers(clock: VirtualClock): Record<string, Handler> {
  const unlock = () => {
    try {
      clock.unlock();
    } catch (e) {
      throw new RpcError(status.FAILED_PRECONDITION, (e as Error).message);
    }
  };
  const handlers = {
    GetCurrentTime: () => ({ time: fromMs(clock.now()) }),
    LockTimeSkipping: () => {
      clock.lock();
      return {};
    },
    UnlockTimeSkipping: () => {
      unlock();
      return {};
    },
    Sleep: async (req: { duration?: DurationLike | null }) => {
      await clock.sleepUntil(clock.now() + toMs(req.duration));
      return {};
    },
    SleepUntil: async (req: { timestamp?: DurationLike | null }) => {
      await clock.sleepUntil(toMs(req.timestamp));
      return {};
    },
    // Unlock for the duration of the sleep, then take the lock back.
    UnlockTimeSkippingWithSleep: async (req: { duration?: DurationLike | null }) => {
      const until = clock.now() + toMs(req.duration);
      unlock();
      await clock.sleepUntil(until, true);
      return {};
    },
  };
  return handlers as unknown as Record<string, Handler>;
}
