// How many fixture-driven tests a run did not generate. Tests that read ../shared (the
// upstream fixtures) generate one test per fixture case; a fresh clone has no ../shared, so
// those tests are never generated and node:test's summary cannot know they are missing.
// tests/fixture-test-counts.json records, per such file, how many tests it runs with the
// fixtures; a full run with ../shared rewrites it, a run without compares against it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const COUNTS_FILE = join('tests', 'fixture-test-counts.json');

/** Whether ../shared (or KAUDIT_SHARED) holds the fixtures, as tests/helpers/shared.ts decides. */
export function hasShared(root) {
  const dir = process.env.KAUDIT_SHARED ?? join(root, '..', 'shared');
  return existsSync(join(dir, 'fixtures'));
}

/** The test files that read the shared fixtures (they import tests/helpers/shared.ts). */
export function fixtureFiles(files) {
  return files.filter((f) => /helpers\/shared\.ts'/.test(readFileSync(f, 'utf8')));
}

function readCounts(root) {
  try {
    return JSON.parse(readFileSync(join(root, COUNTS_FILE), 'utf8'));
  } catch {
    return {};
  }
}

/**
 * After a run: with the fixtures, records the count of each fixture file that ran (a full
 * run also forgets files that are gone) and returns whether the record changed; without
 * them, returns how many tests of the selected fixture files were not generated.
 */
export function settleFixtureCounts(root, files, ranPath, { shared, full }) {
  let ran = {};
  try {
    ran = JSON.parse(readFileSync(ranPath, 'utf8'));
  } catch {
    return { missing: 0, updated: false };
  }
  const byFile = {};
  for (const [f, n] of Object.entries(ran)) byFile[relative(root, f)] = n;
  const recorded = readCounts(root);
  const mine = fixtureFiles(files).map((f) => relative(root, join(root, f)));
  if (shared) {
    // A selected file ran whole, so its count holds even when others were not selected.
    const next = { ...recorded };
    for (const f of mine) next[f] = byFile[f] ?? 0;
    for (const f of Object.keys(next)) if (full && !mine.includes(f)) delete next[f];
    const sorted = Object.fromEntries(Object.entries(next).sort(([a], [b]) => a.localeCompare(b)));
    const text = `${JSON.stringify(sorted, null, 2)}\n`;
    const updated = JSON.stringify(sorted) !== JSON.stringify(recorded);
    if (updated) writeFileSync(join(root, COUNTS_FILE), text);
    return { missing: 0, updated };
  }
  let missing = 0;
  for (const f of mine) missing += Math.max(0, (recorded[f] ?? 0) - (byFile[f] ?? 0));
  return { missing, updated: false };
}
