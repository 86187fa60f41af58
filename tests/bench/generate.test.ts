import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateEvents, type Mix } from '../../bench/generate.ts';
import { AUDIT_EVENT_KEY_ORDER } from '../helpers/key-order.ts';

const take = (mix: Mix, events: number, seed = 1, attackShare?: number): string[] => [
  ...generateEvents({ mix, events, seed, ...(attackShare !== undefined ? { attackShare } : {}) }),
];

const ORDER = AUDIT_EVENT_KEY_ORDER;
const REQUIRED = ['kind', 'apiVersion', 'level', 'auditID', 'stage', 'requestURI', 'verb', 'user'];

test('generateEvents() is deterministic for a seed', () => {
  assert.deepEqual(take('busy', 300, 42), take('busy', 300, 42));
  assert.notDeepEqual(take('busy', 50, 42), take('busy', 50, 43));
});

test('generateEvents() yields exactly the number of events asked for', () => {
  for (const n of [0, 1, 7, 500]) assert.equal(take('busy', n).length, n);
});

test('generateEvents() writes valid JSON events in kube-apiserver key order', () => {
  for (const mix of ['metadata', 'busy', 'rr-heavy'] as const) {
    for (const line of take(mix, 400)) {
      const ev = JSON.parse(line) as Record<string, unknown>;
      assert.equal(ev.kind, 'Event');
      assert.equal(ev.apiVersion, 'audit.k8s.io/v1');
      for (const k of REQUIRED) assert.ok(k in ev, `${k} missing in ${line.slice(0, 120)}`);
      const keys = Object.keys(ev);
      const positions = keys.map((k) => ORDER.indexOf(k));
      assert.ok(!positions.includes(-1), `unexpected key in ${keys.join(',')}`);
      assert.deepEqual(
        positions,
        [...positions].sort((a, b) => a - b),
      );
      assert.equal(typeof (ev.user as Record<string, unknown>).username, 'string');
    }
  }
});

test('generateEvents() escapes <, > and & as Go does', () => {
  const lines = take('busy', 2000);
  assert.ok(lines.every((l) => !/[<>&]/.test(l)));
  assert.ok(lines.some((l) => l.includes('\\u0026')));
});

test('generateEvents() keeps the level and bodies each mix promises', () => {
  const levels = (mix: Mix) => take(mix, 2000).map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const ev of levels('metadata')) {
    assert.equal(ev.level, 'Metadata');
    assert.ok(!('requestObject' in ev) && !('responseObject' in ev));
  }
  for (const ev of levels('rr-heavy')) assert.equal(ev.level, 'RequestResponse');
  const busy = levels('busy');
  const withBody = busy.filter((e) => 'requestObject' in e).length;
  const writes = busy.filter((e) =>
    ['create', 'update', 'patch', 'delete'].includes(e.verb as string),
  );
  assert.ok(withBody > busy.length * 0.3 && withBody < busy.length * 0.8, `${withBody} bodies`);
  assert.ok(writes.every((e) => e.level === 'RequestResponse'));
  const received = busy.filter((e) => e.stage === 'RequestReceived').length;
  assert.ok(received > 40 && received < 250, `${received} RequestReceived of 2000`);
  const humans = busy.filter(
    (e) => !(e.user as { username: string }).username.startsWith('system:'),
  );
  assert.ok(humans.length > 20 && humans.length < 300, `${humans.length} human events`);
});

test('generateEvents() includes roughly the asked share of attacks', () => {
  const isAttack = (e: Record<string, unknown>): boolean => {
    const ref = (e.objectRef ?? {}) as Record<string, unknown>;
    return (
      ref.resource === 'clusterrolebindings' ||
      (ref.resource === 'namespaces' && e.verb !== 'watch' && e.verb !== 'list') ||
      ref.subresource === 'exec' ||
      ref.subresource === 'attach' ||
      (e.verb === 'create' && (ref.resource === 'pods' || ref.resource === 'configmaps'))
    );
  };
  const count = (share: number) =>
    take('busy', 4000, 3, share).filter((l) => isAttack(JSON.parse(l))).length;
  assert.equal(count(0), 0);
  const some = count(0.05);
  // 4000 × 0.05 × (5 of 6 attack kinds recognised here), plus RequestReceived copies.
  assert.ok(some > 100 && some < 300, `${some} attack events`);
});

test('generateEvents() averages roughly 1.7 KB per busy event', () => {
  const lines = take('busy', 3000);
  const avg = lines.reduce((n, l) => n + l.length + 1, 0) / lines.length;
  assert.ok(avg > 1200 && avg < 2200, `average ${avg} bytes`);
});
