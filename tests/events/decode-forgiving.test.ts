import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDecoder, DEFAULT_MAX_DEPTH } from '../../src/events/index.ts';
import { auditEvent, deepCrdEvent } from '../helpers/events.ts';

// Issue #11: where the apiserver's decoder (Go's encoding/json) is more forgiving than
// ours was, an event must not be lost.

function decodeOne(obj: unknown) {
  const decoder = createDecoder();
  const recs = decoder.decodeLine(JSON.stringify(obj), 'in.log', 1);
  return { recs, stats: decoder.stats };
}

test('decodeLine() reads null for an object, a list or a string as absent (Go does)', () => {
  for (const [over, absent] of [
    [{ user: null }, 'user'],
    [{ impersonatedUser: null }, 'impersonatedUser'],
    [{ objectRef: null }, 'objectRef'],
    [{ responseStatus: null }, 'responseStatus'],
    [{ sourceIPs: null }, 'sourceIPs'],
    [{ annotations: null }, 'annotations'],
    [{ verb: null }, 'verb'],
    [{ stage: null }, 'stage'],
    [{ userAgent: null }, 'userAgent'],
  ] as const) {
    const { recs, stats } = decodeOne(auditEvent(over));
    assert.equal(recs.length, 1, `${absent}: null must not lose the event`);
    assert.equal(
      Object.values(stats.rejected).reduce((a, b) => a + b, 0),
      0,
    );
    assert.equal(Object.hasOwn(recs[0]!.obj, absent), false, `${absent} is absent`);
  }
});

test('decodeLine() reads nulls inside user, objectRef, responseStatus and annotations', () => {
  const { recs } = decodeOne(
    auditEvent({
      user: { username: 'bob', uid: null, groups: ['a', null], extra: null },
      objectRef: { resource: 'pods', namespace: null, name: 'p' },
      responseStatus: { code: null },
      annotations: { kept: 'v', gone: null },
      sourceIPs: ['10.0.0.1', null],
    }),
  );
  assert.equal(recs.length, 1);
  const o = recs[0]!.obj as Record<string, Record<string, unknown>>;
  assert.deepEqual(o.user, { username: 'bob', groups: ['a', ''] });
  assert.deepEqual(o.objectRef, { resource: 'pods', name: 'p' });
  assert.deepEqual(o.responseStatus, {});
  assert.deepEqual(o.annotations, { kept: 'v' });
  assert.deepEqual(o.sourceIPs, ['10.0.0.1', '']);
});

test('decodeLine() still rejects what Go rejects too: a string where an object belongs', () => {
  const { recs, stats } = decodeOne(auditEvent({ user: 'bob' }));
  assert.equal(recs.length, 0);
  assert.equal(stats.rejected.wrong_type, 1);
});

test('decodeLine() reads nulls in an AdmissionReview request as absent', () => {
  const { recs } = decodeOne({
    kind: 'AdmissionReview',
    requestReceivedTimestamp: '2023-02-04T21:56:41.610688981Z',
    request: { uid: 'u', operation: 'CREATE', userInfo: null, dryRun: null, name: null },
  });
  assert.equal(recs.length, 1);
  assert.deepEqual(recs[0]!.obj.request, { uid: 'u', operation: 'CREATE' });
});

test('decodeLine() accepts a CRD nested 200 levels deep (past the old limit of 64)', () => {
  const { recs, stats } = decodeOne(deepCrdEvent(100));
  assert.equal(stats.rejected.too_deep, 0);
  assert.equal(recs.length, 1);
});

test('decodeLine() rejects 100000 levels of nesting without overflowing the stack', () => {
  const decoder = createDecoder();
  const bomb = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
  const inBody = JSON.stringify(auditEvent({ requestObject: 'HOLE' })).replace('"HOLE"', bomb);
  const arrays = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  for (const line of [bomb, inBody, arrays]) {
    assert.deepEqual(decoder.decodeLine(line, 'in.log', 1), []);
  }
  assert.equal(decoder.stats.rejected.too_deep, 3);
  assert.ok(DEFAULT_MAX_DEPTH >= 200 && DEFAULT_MAX_DEPTH < 1921);
});
