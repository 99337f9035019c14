/**
 * The Temporal SDK logs every worker state change at INFO. A long-running worker process keeps them (an
 * operator reads them); a simulation or a test run does not want a screen of them. Must run before the
 * first Worker or connection of the process; later calls, or a runtime already set up, change nothing.
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

export function quietTemporalLogs(level: LogLevel): void {
  try {
    Runtime.install({ logger: new DefaultLogger(level) });
  } catch (error) {
    // Installed already (by an earlier call, or by a worker started first): keep what is there.
    if (!(error instanceof Error && error.name === 'IllegalStateError')) throw error;
  }
}
