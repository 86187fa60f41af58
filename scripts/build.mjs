#!/usr/bin/env node
// Bundles the CLI and its worker into dist/ with esbuild (already here as tsx's engine).
// bin/kaudit runs the bundle when it is newer than every file under src/, else the
// TypeScript sources through tsx: the bundle only saves start-up time (one file to load
// instead of ~170 to transform), it never changes behaviour.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
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

// One build with code splitting: `kaudit serve` imports the server at run time, so the
// server's libraries land in chunks that scan, query, rules and policy never load. Chunks
// sit next to the entries because run-parallel.ts and detection/client.ts start their
// workers (`./worker-entry.mjs`, `./detection-worker.mjs`) next to the module holding them.
// Chunks of an earlier build would linger beside the new ones.
mkdirSync('dist', { recursive: true });
for (const f of readdirSync('dist', { withFileTypes: true })) {
  if (f.isFile() && f.name.startsWith('chunk-')) rmSync(`dist/${f.name}`);
}
await build({
  ...common,
  entryPoints: {
    kaudit: 'src/cli/main.ts',
    'detection-worker': 'src/server/detection/thread.ts',
  },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunk-[hash]',
});

// The scan worker is a bundle of its own: in the split build it loaded the chunks it shares
// with the CLI whole (the rules loader and its YAML parser among them), and every worker
// of a parallel scan parsed and compiled that code for nothing (+85 million instructions
// per worker, measured with cachegrind on \`node\` starting the worker alone).
await build({
  ...common,
  entryPoints: { 'worker-entry': 'src/pipeline/parallel/scan-worker.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
});

// The web UI (served by src/server/ui/ under `kaudit serve`).
await buildUi(process.cwd());
