import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { expect, it } from 'vitest';

const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const devEntry = fileURLToPath(new URL('./dev.ts', import.meta.url));

it('runs as a dev server: warns that state is in memory, serves WorkflowService, answers UNIMPLEMENTED by name', async () => {
  const child = spawn(tsx, [devEntry, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let stdout = '';
    const address = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /listening on (\S+)/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`dev server exited with ${code}: ${stderr}`)));
    });
    expect(stderr).toContain('ATTENZIONE');
    expect(stderr).toContain('in memory');
    const connection = await Connection.connect({ address });
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toContain('in-memory');
      await expect(connection.workflowService.listSchedules({ namespace: 'default' })).rejects.toThrow(
        /UNIMPLEMENTED: WorkflowService.ListSchedules/,
      );
    } finally {
      await connection.close();
    }
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

it('refuses an invalid port', async () => {
  const child = spawn(tsx, [devEntry, '--port', 'abc'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  expect(code).toBe(2);
  expect(stderr).toContain('invalid --port "abc"');
});
