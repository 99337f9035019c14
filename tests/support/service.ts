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

export function startService(env: NodeJS.ProcessEnv, args: string[] = ['start']): Promise<Service> {
  const child = spawn('npm', args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not ready after 90 s:\n${output}`));
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
