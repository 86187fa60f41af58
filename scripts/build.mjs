#!/usr/bin/env node
// Bundles the CLI and its worker into dist/ with esbuild (already here as tsx's engine).
// bin/kaudit runs the bundle when it is newer than every file under src/, else the
// TypeScript sources through tsx: the bundle only saves start-up time (one file to load
// instead of ~170 to transform), it never changes behaviour.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
};

await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/kaudit.mjs' });
// run-parallel.ts starts `./worker-entry.mjs` next to the module that holds it.
await build({
  ...common,
  entryPoints: ['src/cli/parallel/scan-worker.ts'],
  outfile: 'dist/worker-entry.mjs',
});
