import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runKaudit } from '../helpers/cli.ts';
import { auditEvent, deepCrdEvent } from '../helpers/events.ts';

// Issue #11: events the apiserver's own decoder accepts (nulls, invalid UTF-8, CRDs
// nested past 64 levels) were rejected, so their alerts were lost.

const dir = mkdtempSync(join(tmpdir(), 'kaudit-forgiving-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const rules = join(dir, 'rules.yaml');
writeFileSync(
  rules,
  `- rule: Any Delete
  desc: d
  condition: ka.verb = delete
  output: delete by %ka.user.name of %ka.target.name
  priority: WARNING
  source: k8s_audit
- rule: CRD Created
  desc: c
  condition: ka.verb = create and ka.target.resource = customresourcedefinitions
  output: crd %ka.target.name by %ka.user.name
  priority: NOTICE
  source: k8s_audit
`,
);

test('kaudit scan alerts on an event whose user and annotations are null (apiserver reads them as absent)', () => {
  const log = join(dir, 'nulls.log');
  const ev = auditEvent({ verb: 'delete', user: null, annotations: null, sourceIPs: null });
  writeFileSync(log, `${JSON.stringify(ev)}\n`);
  for (const fast of [[], ['--no-fastpath']]) {
    const r = runKaudit(['scan', '-r', rules, '--summary', ...fast, log]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /delete by <NA> of web\n/);
    assert.match(r.stderr, /Events rejected: 0\n/);
  }
});

test('kaudit scan alerts on a line with invalid UTF-8, read with U+FFFD, and counts the line', () => {
  const log = join(dir, 'utf8.log');
  const text = JSON.stringify(auditEvent({ verb: 'delete', user: { username: 'eve-X' } }));
  const bytes = Buffer.from(text);
  const at = bytes.indexOf('X');
  bytes[at] = 0xff;
  writeFileSync(log, Buffer.concat([bytes, Buffer.from('\n')]));
  const r = runKaudit(['scan', '-r', rules, '--summary', log]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /delete by eve-\ufffd of web\n/);
  assert.match(r.stderr, /utf8\.log:1: utf8_replaced: /);
  assert.match(r.stderr, /Lines with invalid UTF-8, read with U\+FFFD: 1\n/);
  assert.match(r.stderr, /Events rejected: 0\n/);
});

test('kaudit scan alerts on a CRD nested 200 levels deep and rejects a 100000-level attack', () => {
  const log = join(dir, 'deep.log');
  const attack = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
  writeFileSync(
    log,
    [JSON.stringify(deepCrdEvent(100)), attack, JSON.stringify(auditEvent({ verb: 'delete' }))]
      .map((l) => `${l}\n`)
      .join(''),
  );
  const r = runKaudit(['scan', '-r', rules, '--summary', log]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /crd widgets\.example\.com by alice@example\.com\n/);
  assert.match(r.stdout, /delete by alice@example\.com of web\n/);
  assert.match(r.stderr, /deep\.log:2: too_deep: /);
  assert.match(r.stderr, /\n {3}too_deep: 1\n/);
});
