// Shared command-line startup for dev.ts and the time-skipping test-server entry point.
import { startTemporalServer, type ServerOptions } from './server.js';

export async function runFromCli(opts: ServerOptions, banner: string): Promise<void> {
  const server = await startTemporalServer(opts);
  console.log(`${banner} listening on ${server.address}`);
  const shutdown = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
