#!/usr/bin/env node
// Bundles the CLI and its worker into dist/ with esbuild (already here as tsx's engine).
// bin/kaudit runs the bundle when it is newer than every file under src/, else the
// TypeScript sources through tsx: the bundle only saves start-up time (one file to load
// instead of ~170 to transform), it never changes behaviour.
import { build } from 'esbuild';
import { buildUi } from './build-ui.mjs';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Dependencies go into the bundle too: resolving them at start-up cost ~60 ms. The
  // banner gives their CommonJS code the `require` an ES module lacks.
  banner: {
    js: "import { createRequire as __kauditRequire } from 'node:module'; const require = __kauditRequire(import.meta.url);",
  },
  // Marks the bundle (see src/cli/rules-cache.ts).
  define: { __KAUDIT_BUNDLE__: 'true' },
  sourcemap: 'linked',
  // Native addons load from node_modules at run time; a bundle cannot hold them.
  // pg-native is pg's optional binding, which we never install (pg falls back to JS).
  external: ['better-sqlite3', 'pg-native'],
  logLevel: 'warning',
};

await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/kaudit.mjs' });
// run-parallel.ts starts `./worker-entry.mjs` next to the module that holds it.
await build({
  ...common,
  entryPoints: ['src/pipeline/parallel/scan-worker.ts'],
  outfile: 'dist/worker-entry.mjs',
});
// serve's detection thread: src/server/detection/client.ts starts `./detection-worker.mjs`.
await build({
  ...common,
  entryPoints: ['src/server/detection/thread.ts'],
  outfile: 'dist/detection-worker.mjs',
});

// The web UI (served by src/server/ui/ under `kaudit serve`).
await buildUi(process.cwd());
