#!/usr/bin/env node
// Fails when a src/ folder's line or branch coverage falls below its floor. The floors
// (coverage-floors.json) were set from the figures of the day they were added and are
// only ever raised: `--raise` writes today's figures (rounded down) where they are higher.
// Reads coverage/coverage-summary.json, which `npm run test:coverage` (c8) writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

// KAUDIT_COVERAGE_ROOT: another tree with the same layout (the script's own test).
const root = process.env.KAUDIT_COVERAGE_ROOT ?? resolve(import.meta.dirname, '..');
const floorsPath = resolve(root, 'coverage-floors.json');
const summary = JSON.parse(
  readFileSync(resolve(root, 'coverage', 'coverage-summary.json'), 'utf8'),
);

/** Lines and branches covered and total per top folder of src/ (a file at the top counts as its own). */
function byFolder() {
  const totals = new Map();
  for (const [file, m] of Object.entries(summary)) {
    if (file === 'total') continue;
    const rel = relative(resolve(root, 'src'), file);
    if (rel.startsWith('..')) continue;
    const folder = rel.includes('/') ? rel.split('/')[0] : rel;
    const t = totals.get(folder) ?? { lines: [0, 0], branches: [0, 0] };
    t.lines[0] += m.lines.covered;
    t.lines[1] += m.lines.total;
    t.branches[0] += m.branches.covered;
    t.branches[1] += m.branches.total;
    totals.set(folder, t);
  }
  const pct = ([c, n]) => (n === 0 ? 100 : (100 * c) / n);
  return new Map(
    [...totals].map(([k, t]) => [k, { lines: pct(t.lines), branches: pct(t.branches) }]),
  );
}

const today = byFolder();
const floors = JSON.parse(readFileSync(floorsPath, 'utf8'));
if (process.argv.includes('--raise')) {
  for (const [folder, p] of today) {
    const f = floors[folder] ?? { lines: 0, branches: 0 };
    floors[folder] = {
      lines: Math.max(f.lines, Math.floor(p.lines)),
      branches: Math.max(f.branches, Math.floor(p.branches)),
    };
  }
  const sorted = Object.fromEntries(Object.entries(floors).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(floorsPath, `${JSON.stringify(sorted, null, 2)}\n`);
  console.log(`coverage floors raised where today's figures are higher (${floorsPath})`);
  process.exit(0);
}
const failures = [];
for (const [folder, f] of Object.entries(floors)) {
  const p = today.get(folder);
  if (p === undefined) {
    failures.push(`src/${folder}: no coverage figures (folder gone? remove its floor)`);
    continue;
  }
  for (const kind of ['lines', 'branches']) {
    if (p[kind] < f[kind])
      failures.push(
        `src/${folder}: ${kind} ${p[kind].toFixed(1)}% is below its floor of ${f[kind]}%`,
      );
  }
}
// A folder without a floor is reported, not failed: its first figures set it (--raise).
for (const folder of today.keys())
  if (!(folder in floors)) console.warn(`src/${folder}: no floor yet (npm run coverage:raise)`);
if (failures.length > 0) {
  console.error(`coverage below its floors:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`coverage at or above the floor in all ${Object.keys(floors).length} folders of src/`);
