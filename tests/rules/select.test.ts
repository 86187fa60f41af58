import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadRules, selectRules } from '../../src/rules/index.ts';

const rule = (name: string, priority: string, tags: string, extra = ''): string =>
  `- rule: ${name}\n  desc: d\n  condition: ka.verb = get\n  output: o\n  priority: ${priority}\n  source: k8s_audit\n  tags: [${tags}]\n${extra}`;

const CONTENT = [
  rule('Create Pod', 'WARNING', 'k8s, pods'),
  rule('Create Secret', 'NOTICE', 'k8s'),
  rule('Debug Thing', 'DEBUG', 'debug', '  enabled: false\n'),
].join('');

function load(minPriority?: 'Notice') {
  return loadRules(
    [{ name: 's.yaml', content: CONTENT }],
    minPriority === undefined ? {} : { minPriority },
  );
}

const enabled = (rules: readonly { name: string; enabled: boolean }[]): string[] =>
  rules.filter((r) => r.enabled).map((r) => r.name);

test('selectRules() applies disable/enable by glob and tag in order', () => {
  const r = load();
  const selected = selectRules(r.rules, [
    { action: 'disable', rule: '*' },
    { action: 'enable', tag: 'k8s' },
    { action: 'disable', rule: 'Create S*' },
  ]);
  assert.deepEqual(enabled(selected), ['Create Pod']);
  // The loaded rules are not changed: enablement is decided where the engine is built.
  assert.deepEqual(enabled(r.rules), ['Create Pod', 'Create Secret']);
});

test('selectRules() can enable a rule disabled in the file', () => {
  const r = load();
  const selected = selectRules(r.rules, [{ action: 'enable', rule: 'Debug Thing' }]);
  assert.deepEqual(enabled(selected), ['Create Pod', 'Create Secret', 'Debug Thing']);
});

test('loadRules() keeps rules below minPriority disabled even when selected', () => {
  const r = load('Notice');
  assert.equal(r.rules.length, 3);
  const selected = selectRules(r.rules, [{ action: 'enable', rule: '*' }]);
  assert.deepEqual(enabled(selected), ['Create Pod', 'Create Secret']);
});

test('loadRules() sorts and de-duplicates tags', () => {
  const r = loadRules([{ name: 't.yaml', content: rule('T', 'INFO', 'z, a, z') }]);
  assert.deepEqual(r.rules[0]?.tags, ['a', 'z']);
  assert.equal(r.rules[0]?.priority, 'Informational');
});
