import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { scanHeader } from '../../src/fastpath/index.ts';
import { auditEvent } from '../helpers/events.ts';
import { headerOf } from './helpers/header-of.ts';
import { serializeVariant } from './helpers/json-variants.ts';

// Text that stresses a scanner: quotes, backslashes, Go-escaped characters, key names.
const nasty = fc.oneof(
  fc.string(),
  fc.constantFrom(
    'get',
    'create',
    'verb',
    '"verb":"x"',
    '\\',
    '"',
    '}',
    '{',
    ']',
    '<&>',
    'é',
    '\u2028',
  ),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const eventArb = fc
  .record({
    verb: maybe(nasty),
    stage: maybe(fc.constantFrom('ResponseComplete', 'RequestReceived', 'ResponseStarted')),
    auditID: maybe(fc.uuid()),
    username: maybe(nasty),
    objectRef: maybe(
      fc.record(
        { resource: nasty, subresource: nasty, namespace: nasty, name: nasty, apiGroup: nasty },
        { requiredKeys: [] },
      ),
    ),
    code: maybe(fc.oneof(fc.integer({ min: 100, max: 599 }), fc.constant('200'))),
    decision: maybe(fc.constantFrom('allow', 'forbid', 'x')),
    body: maybe(fc.jsonValue({ maxDepth: 3 })),
    noise: fc.dictionary(fc.constantFrom('verb', 'kind', 'user', 'stage', 'code', 'x'), nasty, {
      maxKeys: 3,
    }),
  })
  .map((r) => {
    const ev = auditEvent({ requestObject: { ...r.noise, spec: r.body ?? null } });
    const set = (k: string, v: unknown): void => {
      if (v === undefined) delete ev[k];
      else ev[k] = v;
    };
    set('verb', r.verb);
    set('stage', r.stage);
    set('auditID', r.auditID);
    set('objectRef', r.objectRef);
    ev.user = r.username === undefined ? { groups: ['g'] } : { username: r.username, ...r.noise };
    ev.responseStatus = r.code === undefined ? { metadata: {} } : { metadata: {}, code: r.code };
    ev.annotations =
      r.decision === undefined ? { x: 'y' } : { 'authorization.k8s.io/decision': r.decision };
    return ev;
  });

const variantArb = fc.record({
  seed: fc.integer(),
  shuffle: fc.boolean(),
  whitespace: fc.boolean(),
  escapes: fc.boolean(),
  duplicates: fc.boolean(),
});

function randomFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('scanHeader() is undefined or equal to JSON.parse for any serialisation', () => {
  let answered = 0;
  fc.assert(
    fc.property(eventArb, variantArb, (ev, v) => {
      const text = serializeVariant(ev, { ...v, random: randomFrom(v.seed) });
      const h = scanHeader(text);
      if (h === undefined) return;
      answered++;
      assert.deepEqual(h, headerOf(JSON.parse(text)));
    }),
    { numRuns: 3000 },
  );
  // The property would hold for a scanner that always gives up: it must not.
  assert.ok(answered > 1000, `answered only ${answered} of 3000`);
});

test('scanHeader() answers for every compact line with string header members', () => {
  fc.assert(
    fc.property(eventArb, (ev) => {
      const text = JSON.stringify(ev);
      const parsed = JSON.parse(text) as Record<string, unknown>;
      // Lines where the scan must give up by contract: a non-string code is fine, a
      // user/objectRef member of another type is not generated here.
      assert.deepEqual(scanHeader(text), headerOf(parsed));
    }),
    { numRuns: 1000 },
  );
});

test('scanHeader() never throws on arbitrary text, and answers only for a whole event', () => {
  // A cut line or junk must not yield a header: any answer must be the parsed line's own.
  const agrees = (text: string): void => {
    const got = scanHeader(text);
    if (got === undefined) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      assert.fail(`a header for text that is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
    }
    assert.deepEqual(got, headerOf(parsed as Record<string, unknown>));
  };
  fc.assert(
    fc.property(fc.string(), eventArb, fc.nat(), (junk, ev, cut) => {
      const text = JSON.stringify(ev);
      agrees(junk);
      agrees(text.slice(0, cut % (text.length + 1)));
      agrees(text.slice(cut % (text.length + 1)));
    }),
    { numRuns: 1000 },
  );
});
