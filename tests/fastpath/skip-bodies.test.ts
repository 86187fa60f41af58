import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canSkipBodies, scanHeader } from '../../src/fastpath/header-scan.ts';
import { runInWorker } from '../helpers/bounded-worker.ts';
import { auditEvent } from '../helpers/events.ts';
import { headerOf } from './helpers/header-of.ts';

// Lines in kube-apiserver's layout with request and response bodies: the scan skips the
// bodies without walking them when it can prove no top-level member of ours hides there.
function withBodies(over: Record<string, unknown> = {}): string {
  const ev = auditEvent({ verb: 'update', ...over });
  const tail = ['requestReceivedTimestamp', 'stageTimestamp', 'annotations'];
  const last = Object.fromEntries(tail.filter((k) => k in ev).map((k) => [k, ev[k]]));
  for (const k of tail) delete ev[k];
  // Go's order: the response body after the request body, then the last members.
  ev.responseObject = {
    kind: 'Lease',
    apiVersion: 'coordination.k8s.io/v1',
    metadata: {
      name: 'node-1',
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'node-1' }],
      managedFields: [
        { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', fieldsV1: { 'f:spec': {} } },
      ],
      annotations: { note: 'x' },
    },
    spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40 },
  };
  return JSON.stringify({ ...ev, ...last });
}

/** Puts raw member text just before the request body (at the top level, between bodies). */
const injectBeforeBody = (text: string, member: string): string =>
  text.replace(',"requestObject":', `,${member},"requestObject":`);
const injectBetweenBodies = (text: string, member: string): string =>
  text.replace(',"responseObject":', `,${member},"responseObject":`);

function agrees(text: string): void {
  const parsed = JSON.parse(text) as Record<string, unknown>;
  const h = scanHeader(text);
  if (parsed.kind !== 'Event') {
    assert.equal(h, undefined, 'not an Event for JSON.parse, so no header');
    return;
  }
  assert.deepEqual(h, headerOf(parsed));
}

test('bodies of the usual layout are skipped, nested names of ours included', () => {
  const text = withBodies();
  // kind/apiVersion first in their objects, apiVersion after simple members
  // (managedFields), kind after apiVersion (ownerReferences), annotations in metadata.
  assert.equal(canSkipBodies(text), true);
  agrees(text);
});

test('a duplicate top-level member between the bodies is found (the walk takes over)', () => {
  for (const member of [
    '"verb":"delete"',
    '"user":{"username":"mallory"}',
    '"objectRef":{"resource":"secrets","namespace":"kube-system"}',
    '"stage":"ResponseStarted"',
    '"requestURI":"/api/v1/secrets"',
    '"auditID":"other"',
    '"responseStatus":{"code":403}',
    '"apiVersion":"audit.k8s.io/v1beta1"',
  ]) {
    for (const put of [injectBeforeBody, injectBetweenBodies]) {
      const text = put(withBodies(), member);
      assert.equal(canSkipBodies(text), false, member);
      agrees(text);
    }
  }
  const dup = injectBetweenBodies(withBodies(), '"verb":"delete"');
  assert.equal(scanHeader(dup)?.verb, 'delete');
});

test('a duplicate kind that turns the line into an EventList is not skipped', () => {
  const items = JSON.stringify([auditEvent({ verb: 'delete' })]);
  const text = injectBetweenBodies(withBodies(), `"kind":"EventList","items":${items}`);
  assert.equal(canSkipBodies(text), false);
  assert.equal(scanHeader(text), undefined);
});

test('annotations between the bodies count only when the tail has none', () => {
  const member = '"annotations":{"authorization.k8s.io/decision":"forbid"}';
  const overridden = injectBetweenBodies(withBodies(), member);
  assert.equal(canSkipBodies(overridden), true);
  assert.equal(scanHeader(overridden)?.annotations?.['authorization.k8s.io/decision'], 'allow');
  agrees(overridden);
  const ev = JSON.parse(withBodies()) as Record<string, unknown>;
  delete ev.annotations;
  const alone = injectBetweenBodies(JSON.stringify(ev), member);
  assert.equal(canSkipBodies(alone), false);
  assert.equal(scanHeader(alone)?.annotations?.['authorization.k8s.io/decision'], 'forbid');
  agrees(alone);
});

test('names spelled with escapes, or hidden after a string holding a brace, take the walk', () => {
  const escaped = injectBetweenBodies(withBodies(), '"\\u0076erb":"delete"');
  assert.equal(canSkipBodies(escaped), false);
  assert.equal(scanHeader(escaped)?.verb, 'delete');
  // `{` inside a string followed by what looks like simple members: still top level.
  for (const member of [
    '"note":"{","verb":"delete"',
    '"note":"a{","x":"y","verb":"delete"',
    '"note":"{\\"","verb":"delete"',
    '"n":["{"],"verb":"delete"',
  ]) {
    const text = injectBetweenBodies(withBodies(), member);
    assert.equal(canSkipBodies(text), false, member);
    assert.equal(scanHeader(text)?.verb, 'delete', member);
  }
});

test('bodies with unusual but valid spacing agree with JSON.parse', () => {
  const body = '{ "a" : "b" , "kind" : "x", "verb" :"nested" }';
  const text = withBodies().replace(/"requestObject":\{/, `"requestObject":{"sp":${body},`);
  agrees(text);
  assert.equal(scanHeader(text)?.verb, 'update');
});

/** A request body whose one object repeats a name of ours `n` times as simple members (the
 * last one follows n - 1 of them). */
const withDuplicateKinds = (n: number): string =>
  withBodies({ requestObject: { x: 1 } }).replace(
    '"requestObject":{"x":1}',
    `"requestObject":{${'"kind":1,'.repeat(n)}"x":1}`,
  );

test('a nested name after many simple members is left to the walk, which agrees', () => {
  for (const n of [65, 66, 500]) agrees(withDuplicateKinds(n));
  assert.deepEqual(
    [1, 65, 66, 500].map((n) => canSkipBodies(withDuplicateKinds(n))),
    [true, true, false, false],
  );
});

test('an object of 100,000 duplicate names of ours is scanned at once (issue #11)', async () => {
  // Quadratic before: 1.2 s at 8,000 names, so minutes here.
  const line = withDuplicateKinds(100_000);
  const got = await runInWorker<{ verb: unknown; skipped: boolean }[]>(
    new URL('./helpers/scan-probe.ts', import.meta.url),
    'scanLines',
    [line],
    20_000,
  );
  assert.deepEqual(got, [{ verb: 'update', skipped: false }]);
});
