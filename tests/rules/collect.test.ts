import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadRules } from '../../src/rules/index.ts';

const rule = (name: string, cond: string, extra = ''): string =>
  `- rule: ${name}\n  desc: d\n  condition: ${cond}\n  output: o\n  priority: INFO\n  source: k8s_audit\n${extra}`;

test('loadRules() replaces a redefined rule but keeps its first place and position', () => {
  const r = loadRules([
    { name: 'a.yaml', content: rule('one', 'ka.verb = get') + rule('two', 'ka.verb = list') },
    { name: 'b.yaml', content: rule('one', 'ka.verb = delete') },
  ]);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(
    r.rules.map((x) => x.name),
    ['one', 'two'],
  );
  assert.equal(r.rules[0]?.compiledCondition, 'ka.verb = delete');
  assert.deepEqual(r.rules[0]?.position, { name: 'a.yaml', line: 1, column: 3, offset: 2 });
});

test('loadRules() applies a standalone enabled item with a deprecation warning', () => {
  const r = loadRules([
    { name: 'e.yaml', content: `${rule('one', 'ka.verb = get')}- rule: one\n  enabled: false\n` },
  ]);
  assert.equal(r.rules[0]?.enabled, false);
  assert.deepEqual(
    r.warnings.map((w) => w.code),
    ['LOAD_DEPRECATED_ITEM'],
  );
  const missing = loadRules([{ name: 'e.yaml', content: '- rule: ghost\n  enabled: false\n' }]);
  assert.equal(
    missing.errors[0]?.message,
    "Rule has 'enabled' key but no rule by that name already exists",
  );
});

test('loadRules() skips rules of sources it does not run, with LOAD_UNKNOWN_SOURCE', () => {
  const r = loadRules([
    {
      name: 's.yaml',
      content: `- rule: sys\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n${rule('k', 'ka.verb = get')}`,
    },
  ]);
  assert.equal(r.ok, true);
  assert.deepEqual(r.skippedRules, ['sys']);
  assert.deepEqual(
    r.rules.map((x) => x.name),
    ['k'],
  );
  const w = r.warnings.find((x) => x.code === 'LOAD_UNKNOWN_SOURCE');
  assert.equal(w?.message, 'Unknown source syscall, skipping');
  assert.equal(w?.locations[0]?.itemName, 'sys');
});

test('loadRules() warns LOAD_UNKNOWN_KEY at the unknown key and ignores it', () => {
  const r = loadRules([
    { name: 'k.yaml', content: rule('one', 'ka.verb = get', '  prority: ERROR\n') },
  ]);
  assert.equal(r.ok, true);
  const w = r.warnings.find((x) => x.code === 'LOAD_UNKNOWN_KEY');
  assert.equal(w?.message, "Unknown key 'prority'. The key will be ignored.");
  const p = w?.locations[w.locations.length - 1]?.position;
  assert.deepEqual([p?.line, p?.column], [7, 3]);
});

test('loadRules() lets macros see only earlier macros while rules see all', () => {
  const late = loadRules([
    {
      name: 'm.yaml',
      content: `- macro: a\n  condition: b\n- macro: b\n  condition: ka.verb = get\n${rule('r', 'a')}`,
    },
  ]);
  assert.equal(late.errors[0]?.message, "Undefined macro 'b' used in filter.");
  assert.equal(late.errors[0]?.locations[0]?.itemName, 'a');
  const ruleFirst = loadRules([
    { name: 'm.yaml', content: `${rule('r', 'b')}- macro: b\n  condition: ka.verb = get\n` },
  ]);
  assert.deepEqual(ruleFirst.errors, []);
  assert.equal(ruleFirst.rules[0]?.compiledCondition, 'ka.verb = get');
});

test('loadRules() reports a macro reference loop created by a redefinition', () => {
  const r = loadRules([
    {
      name: 'l.yaml',
      content: `- macro: a\n  condition: ka.verb = get\n- macro: b\n  condition: a\n- macro: a\n  condition: b\n${rule('r', 'a')}`,
    },
  ]);
  const e = r.errors[0];
  assert.equal(e?.code, 'LOAD_ERR_VALIDATE');
  assert.match(e?.message ?? '', /reference loop in macro/);
  assert.equal(e?.locations[0]?.itemName, 'a');
});

test('loadRules() drops a rule with an unknown field when skip-if-unknown-filter is set', () => {
  const r = loadRules([
    { name: 'u.yaml', content: rule('r', 'ka.nope = 1', '  skip-if-unknown-filter: true\n') },
  ]);
  assert.equal(r.ok, true);
  assert.deepEqual(r.rules, []);
  assert.equal(r.warnings[0]?.code, 'LOAD_UNKNOWN_FILTER');
});

test('loadRules() lets an appended list and macro see the items defined before the append', () => {
  const compiled = (content: string) => {
    const r = loadRules([{ name: 'v.yaml', content }]);
    assert.deepEqual([r.errors, r.warnings], [[], []]);
    return r.rules[0]?.compiledCondition;
  };
  const list = compiled(
    '- list: a\n  items: [get]\n- list: b\n  items: [list]\n' +
      `- list: a\n  items: [b]\n  override: {items: append}\n${rule('r', 'ka.verb in (a)')}`,
  );
  assert.equal(list, compiled(rule('r', 'ka.verb in (get, list)')));
  const macro = compiled(
    '- macro: a\n  condition: ka.verb = get\n- macro: b\n  condition: ka.verb = list\n' +
      `- macro: a\n  condition: or b\n  override: {condition: append}\n${rule('r', 'a')}`,
  );
  assert.equal(macro, compiled(rule('r', 'ka.verb = get or ka.verb = list')));
});
