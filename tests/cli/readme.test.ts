// The README shows real output: these tests re-run its commands and compare.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runKaudit } from '../helpers/cli.ts';
import { REPO_ROOT } from '../helpers/shared.ts';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** Splits a shell line on blanks, honouring single quotes (all the README uses). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) words.push(m[1] ?? m[2] ?? '');
  return words;
}

test('README: the scan of examples/audit.log prints exactly the alerts shown', () => {
  const m = /The scan prints one alert per line:\n\n```\n([\s\S]*?)```/.exec(readme);
  assert.ok(m, 'README has the scan output block');
  const r = runKaudit(['scan', 'examples/audit.log']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, m[1]);
});

test('README: every kaudit query example prints the output shown under it', () => {
  const block = /## Search: `kaudit query`[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'README has the query examples block');
  const examples = block.split(/\n\n/).map((chunk) => {
    const lines = chunk.split('\n').filter((l) => !l.startsWith('#') && l !== '');
    const [cmd, ...out] = lines;
    return { cmd: cmd ?? '', out: out.join('\n') };
  });
  assert.ok(examples.length >= 4);
  for (const ex of examples) {
    assert.match(ex.cmd, /^\$ kaudit query /);
    const r = runKaudit(shellWords(ex.cmd.slice('$ kaudit '.length)));
    assert.equal(r.code, 0, `${ex.cmd}\n${r.stderr}`);
    assert.equal(r.stdout.trimEnd(), ex.out, ex.cmd);
  }
});
