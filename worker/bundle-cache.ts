/**
 * The workflow bundle kept on disk between processes. Webpack takes about two seconds of CPU, and every
 * process that starts a worker paid it: each test file, each year simulation, each service start.
 *
 * A kept bundle is used only when it is exactly what webpack would build now. Next to it sits the list of
 * the files it was built from (our workflows and the SDK files from node_modules, as webpack names its
 * modules) with a hash of each. Every one of them must still have that content, and the bundler must be the
 * same version. A new import edits the file that adds it, so no change slips past. Anything unexpected
 * (a missing or damaged file, another process writing the same entry) means: build, as before.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowBundle } from '@temporalio/worker';

export const DEFAULT_BUNDLE_CACHE = fileURLToPath(
  new URL('../node_modules/.cache/governance-workflows/', import.meta.url),
);

interface Manifest {
  /** sha256 of the bundle's code. */
  code: string;
  /** Absolute path → sha256 of every file the bundle was built from. */
  sources: Record<string, string>;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The bundler: the SDK's version, and the webpack it loads. */
function bundlerVersion(): string {
  const sdk = createRequire(import.meta.url).resolve('@temporalio/worker');
  const version = (pkg: string) => (createRequire(sdk)(`${pkg}/package.json`) as { version: string }).version;
  return `${version('@temporalio/worker')} webpack ${version('webpack')}`;
}

/** The files webpack bundled, from its module headers (`/***\/ "./workflows/meeting.ts"`), relative to cwd. */
function sourcesOf(code: string, cwd: string): string[] {
  return [...code.matchAll(/^\/\*{3}\/ "([^"?][^"]*)"$/gm)].map((m) => resolve(cwd, m[1]!));
}

/**
 * The content webpack compiled, by absolute path, from the bundle's inline source map: our own files appear
 * there as they were read (the SDK's appear as the TypeScript its JavaScript was built from).
 */
function compiledContents(code: string): Map<string, string> {
  const inline =
    /\/\/# sourceMappingURL=data:application\/json;charset=utf-8;base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  if (!inline) return new Map();
  const map = JSON.parse(Buffer.from(inline[1]!, 'base64').toString('utf8')) as {
    sources: string[];
    sourcesContent?: (string | null)[];
  };
  return new Map(
    map.sources.flatMap((path, i) =>
      map.sourcesContent?.[i] != null ? [[path, map.sourcesContent[i]!]] : [],
    ),
  );
}

function unchanged(manifest: Manifest): boolean {
  return Object.entries(manifest.sources).every(([path, hash]) => sha256(readFileSync(path)) === hash);
}

/** Writes a file whole or not at all: readers in other processes never see half of it. */
function writeAtomically(path: string, data: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

export async function bundleWithCache(
  workflowsPath: string,
  build: () => Promise<WorkflowBundle>,
  cacheDir: string = DEFAULT_BUNDLE_CACHE,
): Promise<WorkflowBundle> {
  const entry = sha256(JSON.stringify({ workflowsPath, bundler: bundlerVersion() })).slice(0, 24);
  const codePath = join(cacheDir, `${entry}.js`);
  const manifestPath = join(cacheDir, `${entry}.json`);
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (unchanged(manifest)) {
      const code = readFileSync(codePath, 'utf8');
      if (sha256(code) === manifest.code) return { code };
    }
  } catch {
    // Nothing kept yet, or not readable: build.
  }
  const cwd = process.cwd();
  const bundle = await build();
  try {
    const paths = sourcesOf(bundle.code, cwd);
    const compiled = compiledContents(bundle.code);
    // Keep it only when both lists are surely complete (they name the workflows' own entry file) and no file
    // of ours changed while webpack read it: the hashes below must describe what the code was built from.
    const entryFile = resolve(workflowsPath);
    if (!paths.includes(entryFile) || !compiled.has(entryFile)) return bundle;
    if (paths.some((path) => compiled.has(path) && compiled.get(path) !== readFileSync(path, 'utf8')))
      return bundle;
    const sources = Object.fromEntries(paths.map((path) => [path, sha256(readFileSync(path))]));
    mkdirSync(cacheDir, { recursive: true });
    writeAtomically(codePath, bundle.code);
    writeAtomically(manifestPath, JSON.stringify({ code: sha256(bundle.code), sources } satisfies Manifest));
  } catch {
    // A read-only checkout, a full disk: the bundle still serves this process.
  }
  return bundle;
}
