import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

// The stages and the modules below them, lowest first: a module may import its own
// folder and any folder listed before it, never one after it (docs/architecture.md).
const LAYERS: readonly string[] = [
  'package-root.ts',
  'codegen',
  'events',
  'fields',
  'lang',
  'rules',
  'engine',
  'fastpath',
  'sources',
  'outputs',
  'spool',
  'pipeline',
  'timeline',
  'store',
  'policy',
  'ruletest',
  'bus',
  'server',
  'cli',
];
/** The library's entry point re-exports every stage but the CLI. */
const TOP = 'index.ts';

const SRC = resolve(import.meta.dirname, '../../src');

function listFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;

/** Relative imports of every source file, resolved to paths under src/. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of listFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2]) as string;
      deps.push(relative(SRC, resolve(dirname(file), spec)));
    }
    graph.set(relative(SRC, file), deps);
  }
  return graph;
}

/** The layer a src-relative path belongs to: its top folder, or the file at the top. */
function layerOf(path: string): string {
  return path.includes('/') ? (path.split('/')[0] as string) : path;
}

test('every src/ folder and top-level file has a place in the layer order', () => {
  const unknown = [...importGraph().keys()]
    .map(layerOf)
    .filter((l) => l !== TOP && !LAYERS.includes(l));
  assert.deepEqual([...new Set(unknown)], []);
});

test('no module imports a layer above its own', () => {
  const upward: string[] = [];
  for (const [file, deps] of importGraph()) {
    const from = layerOf(file);
    for (const dep of deps) {
      const to = layerOf(dep);
      if (from === TOP) {
        if (to === 'cli') upward.push(`${file} -> ${dep} (the library API must not need the CLI)`);
        continue;
      }
      if (to === TOP) upward.push(`${file} -> ${dep}`);
      else if (LAYERS.indexOf(to) > LAYERS.indexOf(from)) upward.push(`${file} -> ${dep}`);
    }
  }
  assert.deepEqual(upward, []);
});

test('the import graph of src/ has no cycles', () => {
  const graph = importGraph();
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const dep of graph.get(file) ?? []) {
      if (!graph.has(dep)) continue;
      const s = state.get(dep);
      if (s === 'open') cycles.push([...stack.slice(stack.indexOf(dep)), dep].join(' -> '));
      else if (s === undefined) visit(dep);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  assert.deepEqual(cycles, []);
});

test('the layer test sees imports (it would catch an upward one)', () => {
  // Guards the guard: if the pattern stopped matching, the tests above would pass on
  // any code. cli/main.ts imports its commands; engine/engine.ts imports rules.
  const graph = importGraph();
  assert.ok((graph.get('cli/main.ts') ?? []).some((d) => d.startsWith('cli/commands/')));
  assert.ok((graph.get('engine/engine.ts') ?? []).some((d) => d.startsWith('rules/')));
});

/** Value imports a module runs when it loads: no `import type`, no dynamic `import()`. */
function staticValueGraph(): Map<string, string[]> {
  const STATIC = /(?:^|\n)\s*(?:import|export)\s(?!type\s)[^;]*?from\s+'(\.[^']+)'/g;
  const graph = new Map<string, string[]>();
  for (const file of listFiles(SRC)) {
    const deps = [...readFileSync(file, 'utf8').matchAll(STATIC)].map((m) =>
      relative(SRC, resolve(dirname(file), m[1] as string)),
    );
    graph.set(relative(SRC, file), deps);
  }
  return graph;
}

function loadedAtStart(graph: Map<string, string[]>, entry: string): Set<string> {
  const seen = new Set<string>();
  const walk = (f: string): void => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const d of graph.get(f) ?? []) walk(d);
  };
  walk(entry);
  return seen;
}

test('the CLI loads the server, the store, the spool and the bus only when serve or detect runs', () => {
  // scan, query, rules and policy start in a fraction of a second; the server's libraries
  // (HTTP, SQLite, PostgreSQL, NATS, metrics, the UI) would double that if main.ts reached them.
  // serve's settings table (server/config/) and the bus's option parsing (no imports) are
  // small and describe flags, so they may.
  const loaded = loadedAtStart(staticValueGraph(), 'cli/main.ts');
  assert.ok(loaded.has('cli/commands/scan.ts'), 'the walk follows static imports');
  const heavy = [...loaded].filter(
    (f) =>
      /^(server|store|spool|bus)\//.test(f) &&
      !f.startsWith('server/config/') &&
      f !== 'bus/bus-options.ts',
  );
  assert.deepEqual(heavy, []);
});

test('a scan worker thread loads the engine, not the rules loader and its YAML parser', () => {
  // Workers receive the rules loaded; the loader (and the yaml package behind it) was
  // parsed and compiled by every worker for nothing when engine/ imported rules/index.ts.
  const loaded = loadedAtStart(staticValueGraph(), 'pipeline/parallel/scan-worker.ts');
  assert.ok(loaded.has('engine/engine.ts'), 'the walk reaches the engine');
  const loader = [...loaded].filter((f) =>
    ['rules/index.ts', 'rules/load.ts', 'rules/read.ts', 'rules/yaml-convert.ts'].includes(f),
  );
  assert.deepEqual(loader, []);
});
