/**
 * The service as an operator runs it: `npm start` (or another npm script) in its own process, ready once it
 * prints its URL. npm forwards SIGTERM to the service, which the script `exec`s, so the signal path is real.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Service {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Variables of the test runner's environment that would point the service at something else. */
export function isolatedEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const inherited = { ...process.env };
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL', 'PEC_SMTP_URL', 'PUBLIC_BASE_URL'])
    delete inherited[name];
  return { ...inherited, ...extra };
}

/**
 * Stops an npm process that runs a service: SIGTERM, which npm forwards to the service, and SIGKILL only if it
 * is still running after `graceMs`. A SIGKILL alone would end npm and leave the service, and its Postgres,
 * running after a failed test.
 */
export async function halt(child: ChildProcess, graceMs = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  child.kill('SIGKILL');
}

export function startService(env: NodeJS.ProcessEnv, args: string[] = ['start']): Promise<Service> {
  const child = spawn('npm', args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`not ready after 90 s:\n${output}`));
      void halt(child);
    }, 90_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /Servizio pronto su (\S+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve({
          url: ready[1]!,
          child,
          output: () => output,
          async stop() {
            child.kill('SIGTERM');
            return exit;
          },
        });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exit.then((code) => reject(new Error(`exited (${code}) before it was ready:\n${output}`)));
  });
}

/** Runs an npm script to completion: its exit code and everything it printed. */
export function runScript(
  env: NodeJS.ProcessEnv,
  args: string[],
): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', '--silent', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}
