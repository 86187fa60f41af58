import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadRules } from '../../src/rules/index.ts';

// The loader on `correlate:` and `suppress:`: what a correlated rule compiles to, and
// each mistake reported at the file:line:col of the offending key or value.

const load = (content: string) => loadRules([{ name: 'c.yaml', content }]);

const THRESHOLD = `- rule: Burst
  desc: d
  correlate:
    type: threshold
    count: 3
    within: 1m30s
    by: [ka.user.name, ns: ka.target.namespace]
    condition: ka.verb = get
  output: "%ka.user.name %correlation.count"
  priority: WARNING
  source: k8s_audit
`;

/** The first error's code, message and last position as `line:col`. */
function firstError(content: string) {
  const r = load(content);
  assert.equal(r.ok, false, 'expected a load error');
  const e = r.errors[0];
  const pos = e?.locations.at(-1)?.position;
  return { code: e?.code, message: e?.message ?? '', at: `${pos?.line}:${pos?.column}` };
}

test('a threshold rule compiles to its kind, window, count, terms (labelled or not) and step', () => {
  const r = load(THRESHOLD);
  assert.equal(r.ok, true, JSON.stringify(r.errors));
  const spec = r.rules[0]?.correlation;
  assert.equal(spec?.kind, 'threshold');
  assert.equal(spec?.windowMs, 90_000);
  assert.equal(spec?.count, 3);
  assert.deepEqual(
    spec?.by.map((t) => [t.label, t.template]),
    [
      ['ka.user.name', '%ka.user.name'],
      ['ns', '%ka.target.namespace'],
    ],
  );
  assert.equal(spec?.steps.length, 1);
});

test('mistakes in correlate: are errors at the offending line and column', () => {
  const cases: [string, string, string, RegExp][] = [
    ['    within: 1m30s', '    withn: 1m30s', '6:5', /Unknown key 'withn'/],
    ['    within: 1m30s', '    within: 90 seconds', '6:13', /duration/i],
    ['    within: 1m30s', '    within: 25h', '6:13', /24h|long/i],
    ['    count: 3', '    count: 0', '5:12', /count/i],
    ['    type: threshold', '    type: burst', '4:11', /burst/],
  ];
  for (const [from, to, at, message] of cases) {
    const e = firstError(THRESHOLD.replace(from, to));
    assert.equal(e.at, at, `${to}: ${e.message}`);
    assert.match(e.message, message, to);
  }
});

test('a correlated rule with a top-level condition, and suppress on a plain rule, are refused', () => {
  const withCondition = firstError(
    THRESHOLD.replace('  output:', '  condition: ka.verb = get\n  output:'),
  );
  assert.match(withCondition.message, /top-level 'condition'/);
  const plain = `- rule: P
  desc: d
  condition: ka.verb = get
  output: "%ka.user.name"
  priority: INFO
  source: k8s_audit
  suppress:
    within: 1m
    by: [ka.user.name]
`;
  const e = firstError(plain);
  assert.match(e.message, /override: \{suppress: replace\}/);
  assert.equal(e.at, '7:3');
});

const SEQUENCE = `- rule: Seq
  desc: d
  correlate:
    type: sequence
    within: 5m
    steps:
      - name: a
        condition: ka.verb = create
        by: [ka.target.name]
      - name: b
        condition: ka.verb = delete
        by: [ka.user.name]
  output: "%ka.user.name"
  priority: INFO
  source: k8s_audit
`;

test('sequence steps: names, join terms of equal length, 2 to 10 steps', () => {
  const r = load(SEQUENCE);
  assert.equal(r.ok, true, JSON.stringify(r.errors));
  assert.deepEqual(
    r.rules[0]?.correlation?.steps.map((s) => s.name),
    ['a', 'b'],
  );
  const uneven = firstError(SEQUENCE.replace('by: [ka.user.name]', 'by: [ka.user.name, ka.verb]'));
  assert.match(uneven.message, /a.*b|terms/);
  const one = firstError(SEQUENCE.replace(/ {6}- name: b[\s\S]*?by: \[ka\.user\.name\]\n/, ''));
  assert.match(one.message, /step/i);
});

test('correlate can be replaced by an override; suppress added to a plain rule by one', () => {
  const r = load(`${THRESHOLD}
- rule: Burst
  correlate:
    type: threshold
    count: 10
    within: 5m
    condition: ka.verb = list
  override:
    correlate: replace
- rule: P
  desc: d
  condition: ka.verb = get
  output: "%ka.user.name"
  priority: INFO
  source: k8s_audit
- rule: P
  suppress:
    within: 1m
    by: [ka.user.name]
  override:
    suppress: replace
`);
  assert.equal(r.ok, true, JSON.stringify(r.errors));
  const burst = r.rules.find((x) => x.name === 'Burst');
  assert.equal(burst?.correlation?.count, 10);
  assert.equal(burst?.correlation?.windowMs, 300_000);
  assert.equal(r.rules.find((x) => x.name === 'P')?.suppress?.windowMs, 60_000);
});

test('correlation fields are refused in the output of a plain rule', () => {
  const e = firstError(`- rule: P
  desc: d
  condition: ka.verb = get
  output: "%correlation.count"
  priority: INFO
  source: k8s_audit
`);
  assert.match(e.message, /correlation\.count/);
});
