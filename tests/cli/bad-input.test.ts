import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { runKaudit } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-bad-'));
const rules = join(dir, 'rules.yaml');
writeFileSync(
  rules,
  '- rule: Any Delete\n  desc: d\n  condition: ka.verb = delete\n  output: delete by %ka.user.name\n  priority: WARNING\n  source: k8s_audit\n',
);
const good = JSON.stringify(auditEvent({ verb: 'delete', user: { username: 'kept' } }));

test('kaudit scan counts each kind of bad input by reason, reports it once with file:line, and goes on', () => {
  const log = join(dir, 'mixed.log');
  const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
  // Too large even without its bodies (a body alone would be dropped and the rest judged).
  const huge = JSON.stringify(
    auditEvent({ verb: 'delete', requestURI: `/${'x'.repeat(300_000)}` }),
  );
  const parts: Buffer[] = [
    Buffer.from('{"kind":"Event", oops\n'), // 1 invalid_json
    Buffer.from('{"kind":"Pod","apiVersion":"v1"}\n'), // 2 not_audit_event
    Buffer.from(`${huge}\n`), // 3 event_too_large
    Buffer.from(`${deep}\n`), // 4 too_deep
    Buffer.from(`${JSON.stringify(auditEvent({ user: 'bob' }))}\n`), // 5 wrong_type
    Buffer.concat([
      Buffer.from('{"kind":"Event","auditID":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}\n'),
    ]), // 6 utf8_replaced (read with U+FFFD), then missing_timestamp
    Buffer.from(`${JSON.stringify(auditEvent({ stageTimestamp: undefined }))}\n`), // 7 missing_timestamp
    Buffer.from(`${good}\n`), // 8 fine
    Buffer.from('{"kind":"Event", again\n'), // 9 invalid_json, not shown twice
  ];
  writeFileSync(log, Buffer.concat(parts));
  const r = runKaudit(['scan', '-r', rules, '--summary', log]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /delete by kept/);
  const at = (line: number, reason: string) =>
    new RegExp(`mixed\\.log:${line}(:\\d+)?: ${reason}:`);
  assert.match(r.stderr, at(1, 'invalid_json'));
  assert.match(r.stderr, at(2, 'not_audit_event'));
  assert.match(r.stderr, at(3, 'event_too_large'));
  assert.match(r.stderr, at(4, 'too_deep'));
  assert.match(r.stderr, at(5, 'wrong_type'));
  assert.match(r.stderr, at(6, 'utf8_replaced'));
  assert.match(r.stderr, at(6, 'missing_timestamp'));
  assert.doesNotMatch(r.stderr, /mixed\.log:9/);
  for (const [reason, n] of [
    ['invalid_json', 2],
    ['not_audit_event', 1],
    ['event_too_large', 1],
    ['too_deep', 1],
    ['wrong_type', 1],
    ['missing_timestamp', 2],
  ] as const) {
    assert.match(r.stderr, new RegExp(`\\n {3}${reason}: ${n}\\n`), reason);
  }
  assert.match(r.stderr, /Events rejected: 8\n/);
});

test('kaudit scan --max-event-size lowers the event size limit', () => {
  const log = join(dir, 'sizes.log');
  writeFileSync(log, `${good}\n`);
  const r = runKaudit(['scan', '-r', rules, '--summary', '--max-event-size', '256', log]);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /event_too_large: 1\n/);
});

test('kaudit scan skips lines over the line limit and reads the next line', () => {
  const log = join(dir, 'long.log');
  writeFileSync(log, `${'x'.repeat(5 * 1024 * 1024)}\n${good}\n`);
  const r = runKaudit(['scan', '-r', rules, '--summary', log]);
  assert.match(r.stderr, /long\.log:1(:\d+)?: line_too_long/);
  assert.match(r.stdout, /delete by kept/);
});

test('kaudit scan: a truncated gzip is one clear error line after what it held, exit 3 (partial)', () => {
  const gz = gzipSync(`${good}\n`.repeat(200));
  const path = join(dir, 'cut.log.gz');
  writeFileSync(path, gz.subarray(0, Math.floor(gz.length / 2)));
  const r = runKaudit(['scan', '-r', rules, path]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /^kaudit: .*cut\.log\.gz: .+\n$/);
  assert.match(r.stdout, /delete by kept/);
});

test('kaudit scan: an unreadable directory is one clear error line, exit 1', {
  skip:
    process.getuid?.() === 0
      ? 'root reads every directory, so permissions cannot make one unreadable'
      : false,
}, () => {
  const locked = join(dir, 'locked');
  mkdirSync(locked);
  chmodSync(locked, 0o000);
  const r = runKaudit(['scan', '-r', rules, locked]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^kaudit: .*locked.*\n$/);
});

test('kaudit scan: a path that is not a file or directory is one clear error line', () => {
  const r = runKaudit(['scan', '-r', rules, join(dir, 'missing', 'audit.log')]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.split('\n').filter(Boolean).length, 1);
});
