import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createEngine, explainRule } from '../../src/engine/index.ts';
import { type AuditRecord, createDecoder } from '../../src/events/index.ts';
import { defaultFieldRegistry } from '../../src/fields/index.ts';
import { EXPLAIN_LIMITS, type ExplainedNode, listMutants } from '../../src/lang/index.ts';
import { type LoadedRule, loadRules } from '../../src/rules/index.ts';

const RULES = `- list: admins
  items: [root, admin]
- macro: write
  condition: ka.verb in (create, update)
- macro: cm_write
  condition: ka.target.resource = configmaps and write
- rule: CM
  desc: d
  condition: cm_write and not ka.user.name in (admins) and ka.user.name != nobody
  output: o %ka.user.name
  priority: WARNING
  source: k8s_audit
  exceptions:
    - name: trusted_ns
      fields: [ka.target.namespace]
      values: [[kube-system]]
- rule: Body
  desc: d
  condition: ka.req.configmap.obj contains x and jevt.value[/requestObject/data/big] exists and ka.user.groups intersects (g1, g2, g3)
  output: o
  priority: WARNING
  source: k8s_audit
- rule: Token
  desc: d
  condition: jevt.value[/requestObject/data/token] exists and jevt.value[/requestObject/data/image] exists
  output: o
  priority: WARNING
  source: k8s_audit
`;
const loaded = loadRules([{ name: 'r.yaml', content: RULES }]);
assert.equal(loaded.ok, true, JSON.stringify(loaded.errors));
const rule = (name: string): LoadedRule => loaded.rules.find((r) => r.name === name) as LoadedRule;

function rec(over: Record<string, unknown>): AuditRecord {
  const obj = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Request',
    auditID: '00000000-0000-4000-8000-000000000001',
    requestURI: '/api/v1/namespaces/apps/configmaps',
    requestReceivedTimestamp: '2026-01-01T00:00:00.000000Z',
    stageTimestamp: '2026-01-01T00:00:00.100000Z',
    stage: 'ResponseComplete',
    verb: 'create',
    user: { username: 'mallory', groups: ['g2', 'g9'] },
    objectRef: { resource: 'configmaps', namespace: 'apps', name: 'c' },
    ...over,
  };
  const [r] = createDecoder().decodeValue(obj, 't', 1, JSON.stringify(obj).length);
  assert.ok(r);
  return r;
}

function find(n: ExplainedNode, text: string): ExplainedNode | undefined {
  if (n.text === text) return n;
  for (const c of n.children ?? []) {
    const f = find(c, text);
    if (f) return f;
  }
  return undefined;
}

describe('explainRule', () => {
  test('a match: macros, lists by name and the fields each check read', () => {
    const ex = explainRule(rule('CM'), rec({}), defaultFieldRegistry);
    assert.equal(ex.matched, true);
    const verb = find(ex.condition, 'ka.verb in (create, update)');
    assert.deepEqual(verb?.fields, [{ field: 'ka.verb', value: 'create' }]);
    assert.deepEqual(verb?.matched, ['create']);
    const admins = find(ex.condition, 'ka.user.name in (admins)');
    assert.deepEqual(admins?.lists, ['admins']);
    assert.equal(admins?.result, 'false');
    // The macro marks sit on the parts that came from the macros, outermost first.
    const cm = ex.condition.children?.[0]?.children?.find((c) => c.macros !== undefined);
    assert.deepEqual(cm?.macros, ['cm_write']);
    assert.deepEqual(cm?.children?.find((c) => c.macros)?.macros, ['write']);
  });

  test('a near miss: the deciding check is the one that failed, with its value and macros', () => {
    const ex = explainRule(rule('CM'), rec({ verb: 'get' }), defaultFieldRegistry);
    assert.equal(ex.matched, false);
    assert.equal(ex.suppressedBy, undefined);
    assert.deepEqual(ex.deciding, [
      {
        check: 'ka.verb in (create, update)',
        result: 'false',
        fields: [{ field: 'ka.verb', value: 'get' }],
        macros: ['cm_write', 'write'],
      },
    ]);
    // What came after the failed part was not evaluated, as in the engine.
    assert.equal(find(ex.condition, 'ka.user.name != nobody')?.result, 'not_evaluated');
  });

  test('an exception that suppressed the rule is named; a missing field reads as missing', () => {
    const ex = explainRule(
      rule('CM'),
      rec({ objectRef: { resource: 'configmaps', namespace: 'kube-system' } }),
      defaultFieldRegistry,
    );
    assert.equal(ex.matched, false);
    assert.equal(ex.suppressedBy, 'trusted_ns');
    assert.equal(ex.deciding[0]?.exception, 'trusted_ns');
    const miss = explainRule(
      rule('CM'),
      rec({ objectRef: { namespace: 'apps' } }),
      defaultFieldRegistry,
    );
    assert.deepEqual(miss.deciding[0]?.fields, [{ field: 'ka.target.resource', value: null }]);
  });

  test('request bodies are withheld, long values cut, list matches bounded', () => {
    const big = 'y'.repeat(EXPLAIN_LIMITS.chars * 4);
    const ex = explainRule(
      rule('Body'),
      rec({
        requestObject: { data: { big, password: 'hunter2x' } },
        user: { username: 'u', groups: ['g1', 'g2', 'g3'] },
      }),
      defaultFieldRegistry,
    );
    assert.equal(ex.matched, true);
    const body = find(ex.condition, 'ka.req.configmap.obj contains x');
    assert.equal(body?.fields?.[0]?.value, undefined);
    assert.ok((body?.fields?.[0]?.withheld ?? 0) > big.length);
    assert.doesNotMatch(JSON.stringify(ex), /hunter2x/);
    assert.deepEqual(find(ex.condition, 'ka.user.groups intersects (g1, g2, g3)')?.matched, [
      'g1',
      'g2',
      'g3',
    ]);
  });
});

test('text from a body that holds a credential is withheld with its kind; other body text is shown', () => {
  const ex = explainRule(
    rule('Token'),
    rec({ requestObject: { data: { token: 'AKIAZ7EXAMPLE4QWERTY', image: 'nginx:1.27' } } }),
    defaultFieldRegistry,
  );
  assert.equal(ex.matched, true);
  assert.deepEqual(find(ex.condition, 'jevt.value[/requestObject/data/token] exists')?.fields, [
    {
      field: 'jevt.value[/requestObject/data/token]',
      withheld: 20,
      credentials: ['aws-access-key-id'],
    },
  ]);
  assert.deepEqual(find(ex.condition, 'jevt.value[/requestObject/data/image] exists')?.fields, [
    { field: 'jevt.value[/requestObject/data/image]', value: 'nginx:1.27' },
  ]);
  assert.doesNotMatch(JSON.stringify(ex), /AKIAZ7/);
});

describe('the engine with explain', () => {
  test('alerts carry explanations only when asked; the verdicts are the same', () => {
    const plain = createEngine({ rules: loaded.rules, ruleMatching: 'all' });
    const explaining = createEngine({ rules: loaded.rules, ruleMatching: 'all', explain: true });
    const r = rec({});
    const a = plain.process(r);
    const b = explaining.process(r);
    assert.deepEqual(
      b.map((x) => x.rule),
      a.map((x) => x.rule),
    );
    assert.equal(a[0]?.explanation, undefined);
    assert.equal(b[0]?.explanation?.matched, true);
    assert.equal(b[0]?.explanation?.rule, 'CM');
  });
});

describe('listMutants', () => {
  test('each kind of change once per part, and no mutant that would not compile', () => {
    const ms = listMutants(rule('CM').condition, {
      registry: defaultFieldRegistry,
      source: 'k8s_audit',
    });
    const kinds = new Set(ms.map((m) => m.kind));
    for (const k of ['and-to-or', 'drop-not', 'drop-item', 'empty-list', 'operator'] as const) {
      assert.ok(kinds.has(k), k);
    }
    assert.ok(ms.some((m) => m.change === 'emptied list admins'));
    assert.ok(
      ms.some((m) => m.change === "removed 'update'" && m.macros.join('>') === 'cm_write>write'),
    );
    assert.ok(ms.some((m) => m.change === '`!=` → `=`'));
    // A list item of a list: is data, not logic: it is emptied as a whole, never item by item.
    assert.ok(!ms.some((m) => m.change === "removed 'root'"));
    // Every mutant differs from the rule on some event, in principle: none is the same tree.
    const original = JSON.stringify(rule('CM').condition);
    assert.ok(ms.every((m) => JSON.stringify(m.expr) !== original));
  });
});
