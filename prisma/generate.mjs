// Runs `prisma generate` without network access (root package.json `postinstall`).
//
// Prisma's CLI insists on resolving its schema-engine binary before generating, and downloads it when
// absent; npm does not run Prisma's install scripts here and binaries.prisma.sh is unreachable. Generating
// the client needs no engine at all (it uses the bundled wasm), so we point PRISMA_SCHEMA_ENGINE_BINARY at
// a stand-in that explains itself if anything ever tries to execute it. A real engine configured by the
// user is respected.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const prismaCli = join(
  dirname(createRequire(import.meta.url).resolve('prisma/package.json')),
  'build',
  'index.js',
);

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY:
    process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? join(here, 'schema-engine-unavailable.sh'),
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};

const result = spawnSync(
  process.execPath,
  [prismaCli, 'generate', '--config', join(here, 'prisma.config.ts')],
  { stdio: 'inherit', env, cwd: join(here, '..') },
);
process.exit(result.status ?? 1);
