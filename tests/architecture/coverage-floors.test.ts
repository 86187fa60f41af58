// `npm run check` ends with scripts/coverage-floors.mjs: it fails when a src/ folder's line
// or branch coverage is under its floor, and --raise only ever raises floors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/shared.ts';

const SCRIPT = join(REPO_ROOT, 'scripts', 'coverage-floors.mjs');

/** A tree whose src/lang/a.ts has `lines`/`branches` percent covered, and the given floors. */
function tree(lines: number, branches: number, floors: object): string {
  const root = mkdtempSync(join(tmpdir(), 'kaudit-floors-'));
  mkdirSync(join(root, 'coverage'));
  const m = (covered: number) => ({ total: 100, covered, skipped: 0, pct: covered });
  const summary = {
    total: { lines: m(lines), branches: m(branches) },
    [join(root, 'src', 'lang', 'a.ts')]: { lines: m(lines), branches: m(branches) },
  };
  writeFileSync(join(root, 'coverage', 'coverage-summary.json'), JSON.stringify(summary));
  writeFileSync(join(root, 'coverage-floors.json'), JSON.stringify(floors));
  return root;
}

const run = (root: string, ...args: string[]) =>
  spawnSync(process.execPath, [SCRIPT, ...args], {
    env: { ...process.env, KAUDIT_COVERAGE_ROOT: root },
    encoding: 'utf8',
  });

test('a folder under its floor fails the check with the figure and the floor', () => {
  const r = run(tree(80, 90, { lang: { lines: 85, branches: 90 } }));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /src\/lang: lines 80\.0% is below its floor of 85%/);
});

test('at or above every floor passes', () => {
  assert.equal(run(tree(85, 90, { lang: { lines: 85, branches: 90 } })).status, 0);
});

test("--raise raises a floor to today's figure and never lowers one", () => {
  const root = tree(91.7, 70, { lang: { lines: 85, branches: 80 } });
  assert.equal(run(root, '--raise').status, 0);
  const floors = JSON.parse(readFileSync(join(root, 'coverage-floors.json'), 'utf8'));
  assert.deepEqual(floors.lang, { lines: 91, branches: 80 });
});
