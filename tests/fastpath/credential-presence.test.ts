import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createRng } from '../../bench/gen/prng.ts';
import { generateEvents } from '../../bench/generate.ts';
import { createEngine } from '../../src/engine/index.ts';
import { createDecoder } from '../../src/events/index.ts';
import { createPrefilter, type Header, scanHeader } from '../../src/fastpath/index.ts';
import { defaultFieldRegistry } from '../../src/fields/index.ts';
import { parseCondition } from '../../src/lang/index.ts';
import { loadRules } from '../../src/rules/index.ts';
import { auditEvent } from '../helpers/events.ts';
import { REPO_ROOT } from '../helpers/shared.ts';
import { serializeVariant } from './helpers/json-variants.ts';

const env = { registry: defaultFieldRegistry, source: 'k8s_audit' as const };
const prefilterOf = (c: string) => createPrefilter([parseCondition(c)], env);

function headerOf(over: Record<string, unknown>): Header {
  const h = scanHeader(JSON.stringify(auditEvent(over)));
  assert.ok(h, 'test event must scan');
  return h;
}

const CREDENTIAL_RULES = [
  'Configmap With Credentials',
  'Workload With Credentials in Its Spec',
  'Credentials Stored Outside a Secret',
];
const FIXTURES = [
  'configmap-with-credentials',
  'workload-with-credentials-in-its-spec',
  'credentials-stored-outside-a-secret',
];

describe('credential fields on the fast path', () => {
  test('a check on ka.req.credentials alone is false on every header outside the scan', () => {
    const pre = prefilterOf('ka.req.credentials exists');
    assert.ok(pre, 'presentWhen makes the check decidable on headers');
    const at = (verb: string, objectRef: Record<string, unknown>) =>
      pre(headerOf({ verb, objectRef }));
    assert.equal(at('create', { resource: 'configmaps' }), true);
    assert.equal(at('patch', { resource: 'widgets', apiGroup: 'example.io' }), true);
    assert.equal(at('patch', { resource: 'pods', subresource: 'ephemeralcontainers' }), true);
    assert.equal(at('get', { resource: 'configmaps' }), false);
    assert.equal(at('create', { resource: 'secrets' }), false);
    assert.equal(at('update', { resource: 'leases', apiGroup: 'coordination.k8s.io' }), false);
    assert.equal(at('patch', { resource: 'pods', subresource: 'status' }), false);
    // A custom resource that happens to be called leases is still scanned.
    assert.equal(at('update', { resource: 'leases', apiGroup: 'example.io' }), true);
  });

  test('the same holds under and/or, and a negation stays undecidable', () => {
    const pre = prefilterOf('ka.user.name = bob or ka.req.credentials.count > 0');
    assert.ok(pre);
    assert.equal(pre(headerOf({ verb: 'get', user: { username: 'alice' } })), false);
    assert.equal(pre(headerOf({ verb: 'get', user: { username: 'bob' } })), true);
    assert.equal(prefilterOf('not ka.req.credentials exists'), undefined);
  });

  test('presentWhen gives the same answer on a header as on the parsed event', () => {
    const def = defaultFieldRegistry.get('ka.req.credentials');
    const present = def?.presentWhen;
    assert.ok(present);
    let seen = 0;
    for (const line of generateEvents({ mix: 'busy', events: 3000, seed: 5, attackShare: 0.05 })) {
      const h = scanHeader(line);
      if (h === undefined) continue;
      const full = JSON.parse(line) as Record<string, unknown>;
      assert.equal(
        present(h as unknown as Record<string, unknown>),
        present(full),
        line.slice(0, 300),
      );
      if (present(full)) seen++;
    }
    assert.ok(seen > 10, `only ${seen} scanned events`);
  });

  test('with the default ruleset, no skipped line would have raised a credential alert', () => {
    const rulesPath = join(REPO_ROOT, 'rules', 'kaudit-rules.yaml');
    const loaded = loadRules([{ name: rulesPath, content: readFileSync(rulesPath, 'utf8') }]);
    const engine = createEngine({ rules: loaded.rules, ruleMatching: 'all', hostname: 'test' });
    const conditions = engine.activeRules.filter((r) => CREDENTIAL_RULES.includes(r.name));
    assert.equal(conditions.length, 3);
    const pre = createPrefilter(
      conditions.map((r) => r.condition),
      env,
    );
    assert.ok(pre);
    const random = createRng(3).next;
    const lines = [...generateEvents({ mix: 'busy', events: 3000, seed: 9, attackShare: 0.05 })];
    for (const f of FIXTURES) {
      const data = JSON.parse(
        readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'default-rules', `${f}.json`), 'utf8'),
      ) as { positive: unknown[]; negative: unknown[] };
      for (const e of [...data.positive, ...data.negative]) {
        lines.push(JSON.stringify(e));
        const opts = {
          random,
          shuffle: true,
          whitespace: true,
          escapes: true,
          duplicates: random() < 0.5,
        };
        lines.push(serializeVariant(e, opts));
      }
    }
    const decoder = createDecoder({});
    let skipped = 0;
    let alerted = 0;
    lines.forEach((line, i) => {
      const fired = decoder
        .decodeLine(line, 'corpus', i + 1)
        .flatMap((rec) => engine.process(rec).map((a) => a.rule))
        .filter((r) => CREDENTIAL_RULES.includes(r));
      if (fired.length > 0) alerted++;
      const h = scanHeader(line);
      if (h !== undefined && !pre(h)) {
        skipped++;
        assert.deepEqual(fired, [], `line ${i + 1} was skipped but alerts: ${line.slice(0, 300)}`);
      }
    });
    assert.ok(alerted > 30, `only ${alerted} credential alerts`);
    assert.ok(skipped > lines.length * 0.8, `skipped only ${skipped} of ${lines.length} lines`);
  });
});
