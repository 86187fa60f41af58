import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { anyDeleteRule, runKaudit } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';

// Issue #11: a 46 MB EventList line of 100k events gave 0 alerts (the whole line was
// over the 4 MiB line limit and skipped), and an event over --max-event-size was
// dropped whole where its metadata alone would have alerted.

const dir = mkdtempSync(join(tmpdir(), 'kaudit-long-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const rules = join(dir, 'rules.yaml');
writeFileSync(rules, anyDeleteRule('delete by %ka.user.name', '  tags: [k8s]\n'));

/** An EventList line of `n` events (items without kind, as the apiserver sends them). */
function eventList(n: number, deleteEvery: number): string {
  const items = Array.from({ length: n }, (_, i) => {
    const {
      kind: _k,
      apiVersion: _a,
      ...item
    } = auditEvent({
      verb: i % deleteEvery === 0 ? 'delete' : 'get',
      user: { username: `u${i}` },
      requestObject: { pad: 'p'.repeat(1500) },
    });
    return item;
  });
  return JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items });
}

const list = eventList(3000, 100); // about 6 MB: over the default 4 MiB line limit
const log = join(dir, 'list.log');
writeFileSync(
  log,
  `${JSON.stringify(auditEvent({ verb: 'delete', user: { username: 'before' } }))}\n${list}\n${JSON.stringify(auditEvent({ verb: 'delete', user: { username: 'after' } }))}\n`,
);
const expected = ['before', ...Array.from({ length: 30 }, (_, k) => `u${k * 100}`), 'after'];

for (const args of [['--workers', '1'], ['--workers', '2'], ['--no-fastpath']]) {
  test(`kaudit scan ${args.join(' ')}: an EventList line over the line limit is read item by item`, () => {
    assert.ok(list.length > 4 * 1024 * 1024);
    const r = runKaudit(['scan', '-r', rules, '--summary', ...args, log], {
      env: { KAUDIT_CHUNK_BYTES: '1048576' },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.replace(/^.*delete by /, '')),
      expected,
    );
    assert.match(r.stderr, /\nEvents read: 3002\n/);
    assert.match(r.stderr, /\nLines read: 3\n/);
    assert.match(r.stderr, /\nEvents rejected: 0\n/);
  });
}

test('kaudit scan --max-line-size: a smaller line limit still reads an EventList item by item', () => {
  const small = join(dir, 'small.log');
  writeFileSync(small, `${eventList(200, 50)}\n`);
  const r = runKaudit(['scan', '-r', rules, '--max-line-size', '64k', small]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 4);
  const bad = runKaudit(['scan', '-r', rules, '--max-line-size', 'lots', small]);
  assert.equal(bad.code, 2);
});

test('kaudit scan: an event over --max-event-size is judged without its bodies and its alert is tagged', () => {
  const big = join(dir, 'big.log');
  const ev = auditEvent({
    verb: 'delete',
    user: { username: 'mallory' },
    requestObject: { blob: 'x'.repeat(300_000) },
  });
  writeFileSync(big, `${JSON.stringify(ev)}\n`);
  const r = runKaudit(['scan', '-r', rules, '--format', 'json', '--summary', big]);
  assert.equal(r.code, 0, r.stderr);
  const alert = JSON.parse(r.stdout) as { output: string; tags: string[] };
  assert.match(alert.output, /delete by mallory/);
  assert.deepEqual(alert.tags, ['bodies_dropped', 'k8s']);
  assert.match(r.stderr, /big\.log:1: bodies_dropped: /);
  assert.match(r.stderr, /Events over the size limit, judged without bodies: 1\n/);
  assert.match(r.stderr, /Events rejected: 0\n/);

  // Falco's behaviour on request: the event is dropped whole.
  const drop = runKaudit(['scan', '-r', rules, '--drop-oversize', '--summary', big]);
  assert.equal(drop.stdout, '');
  assert.match(drop.stderr, /\n {3}event_too_large: 1\n/);
});

test('kaudit scan: a single event line over the line limit is judged without its bodies', () => {
  const huge = join(dir, 'huge.log');
  const ev = auditEvent({
    verb: 'delete',
    user: { username: 'trudy' },
    requestObject: { blob: 'x'.repeat(5 * 1024 * 1024) },
  });
  writeFileSync(huge, `${JSON.stringify(ev)}\n`);
  const r = runKaudit(['scan', '-r', rules, '--format', 'json', huge]);
  assert.equal(r.code, 0, r.stderr);
  const alert = JSON.parse(r.stdout) as { output: string; tags: string[] };
  assert.match(alert.output, /delete by trudy/);
  assert.ok(alert.tags.includes('bodies_dropped'));
});
