import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runKaudit } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';
import { REPO_ROOT } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-progress-'));
const log = join(dir, 'audit.log');
// Enough events that the scan outlives the first progress tick (500 ms).
const line = JSON.stringify(auditEvent({ verb: 'get' }));
writeFileSync(log, `${`${line}\n`.repeat(400_000)}`);

const hasScript = existsSync('/usr/bin/script')
  ? false
  : 'needs util-linux script(1) to give kaudit a terminal';

// The log is over 128 MiB, so the default scan runs on every core; --workers 1 takes the
// single-threaded pipeline: both must report progress.
for (const workers of [[], ['--workers', '1']]) {
  test(`kaudit scan ${workers.join(' ') || '(all cores)'} shows a progress line on a terminal`, {
    skip: hasScript,
  }, () => {
    const cmd = `${process.execPath} ${join(REPO_ROOT, 'bin', 'kaudit')} scan ${workers.join(' ')} --no-fastpath --min-priority emergency ${log} > /dev/null`;
    const r = spawnSync('/usr/bin/script', ['-qec', cmd, '/dev/null'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\d+ events, \d+ MiB, \d+ events\/s/);
  });
}

test('kaudit scan prints no progress line when stderr is not a terminal', () => {
  const r = runKaudit(['scan', '--no-fastpath', '--min-priority', 'emergency', log]);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '');
});
