// Shared command-line startup for dev.ts and the time-skipping test-server entry point.
import { startTemporalServer, type ServerOptions } from './server.js';

/**
 * @param banner what the server says once it listens (dev.ts: a person started it). The test server says
 * nothing: the SDK that spawns it shares its output, so every test and year preview would print the line,
 * and the SDK learns the server is up by connecting.
 */
export async function runFromCli(opts: ServerOptions, banner?: string): Promise<void> {
  const server = await startTemporalServer(opts);
  if (banner) console.log(`${banner} listening on ${server.address}`);
  const shutdown = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
