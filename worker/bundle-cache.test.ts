import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { afterAll, expect, it } from 'vitest';
import { DEFAULT_BUNDLE_CACHE, bundleWithCache } from './bundle-cache';

// Inside the checkout, so webpack finds @temporalio/workflow in node_modules.
mkdirSync(DEFAULT_BUNDLE_CACHE, { recursive: true });
const dir = mkdtempSync(join(DEFAULT_BUNDLE_CACHE, 'test-'));
const cacheDir = join(dir, 'cache');
// Plain JavaScript: the SDK's bundler compiles TypeScript only outside node_modules.
const workflowsPath = join(dir, 'workflows.js');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
let builds = 0;
const bundle = () =>
  bundleWithCache(
    workflowsPath,
    () => {
      builds++;
      return bundleWorkflowCode({ workflowsPath, logger: quiet });
    },
    cacheDir,
  );

it('builds once, reuses the kept bundle while its files are unchanged, and builds again when one changes', async () => {
  writeFileSync(workflowsPath, "export async function saluto() {\n  return 'buongiorno';\n}\n");
  const first = await bundle();
  expect(builds).toBe(1);
  expect(first.code).toContain('buongiorno');

  const again = await bundle();
  expect(builds).toBe(1);
  expect(again.code).toBe(first.code);

  appendFileSync(workflowsPath, "export async function congedo() {\n  return 'arrivederci';\n}\n");
  const changed = await bundle();
  expect(builds).toBe(2);
  expect(changed.code).toContain('arrivederci');
  expect((await bundle()).code).toBe(changed.code);
  expect(builds).toBe(2);
});

it('builds again when the kept code was damaged', async () => {
  const kept = readdirSync(cacheDir).find((f) => f.endsWith('.js'))!;
  appendFileSync(join(cacheDir, kept), '\n// altered\n');
  const before = builds;
  const rebuilt = await bundle();
  expect(builds).toBe(before + 1);
  expect(rebuilt.code).not.toContain('// altered');
});

it('keeps nothing when a workflow file changed while webpack was reading it', async () => {
  appendFileSync(workflowsPath, '// a change, so the kept bundle no longer fits\n');
  const before = builds;
  const editedMeanwhile = await bundleWithCache(
    workflowsPath,
    async () => {
      builds++;
      const built = await bundleWorkflowCode({ workflowsPath, logger: quiet });
      appendFileSync(workflowsPath, "export async function saluti() {\n  return 'a presto';\n}\n");
      return built;
    },
    cacheDir,
  );
  expect(editedMeanwhile.code).not.toContain('a presto');
  const next = await bundle();
  expect(builds).toBe(before + 2);
  expect(next.code).toContain('a presto');
});
