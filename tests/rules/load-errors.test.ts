import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadRules } from '../../src/rules/index.ts';
import type { LoadMessage, LoadResult } from '../../src/rules/types.ts';

const RULE_HEAD =
  '- rule: r\n  desc: d\n  output: "user=%ka.user.name"\n  priority: WARNING\n  source: k8s_audit\n';

function load(content: string): LoadResult {
  return loadRules([{ name: 'bad.yaml', content }]);
}

function only(messages: readonly LoadMessage[], code: string): LoadMessage {
  const hits = messages.filter((m) => m.code === code);
  assert.equal(hits.length, 1, `expected one ${code}, got ${JSON.stringify(messages, null, 1)}`);
  return hits[0] as LoadMessage;
}

// line:col of the innermost location (where the caret points).
function lineCol(m: LoadMessage): [number, number] {
  const p = m.locations[m.locations.length - 1]?.position;
  return [p?.line ?? -1, p?.column ?? -1];
}

test('loadRules() reports bad YAML with LOAD_ERR_YAML_PARSE at the broken line', () => {
  const r = load('- rule: r\n  desc: d\n  condition: "ka.verb = create\n');
  assert.equal(r.ok, false);
  const m = only(r.errors, 'LOAD_ERR_YAML_PARSE');
  assert.equal(m.locations[0]?.position.name, 'bad.yaml');
  assert.ok(lineCol(m)[0] >= 3, `line ${lineCol(m)[0]}`);
});

test('loadRules() locates an unknown field in the condition and suggests the near miss', () => {
  const r = load(`${RULE_HEAD}  condition: ka.verb = create and ka.user.nam = bob\n`);
  const m = only(r.errors, 'LOAD_ERR_COMPILE_CONDITION');
  assert.equal(m.reason, 'unknown_field');
  assert.deepEqual(lineCol(m), [6, 35]);
  assert.equal(m.conditionOffset, 21);
  assert.deepEqual(
    m.locations.map((l) => l.itemType),
    ['rule', 'rule condition', 'condition expression'],
  );
  assert.match(m.message, /ka\.user\.name/);
  assert.match(m.snippet ?? '', /\n {34}\^{11}$/);
});

test('loadRules() maps a condition offset back through list substitution', () => {
  const r = load(
    `- list: verbs\n  items: [create, update, patch]\n${RULE_HEAD}  condition: ka.verb in (verbs) and ka.user.nam = bob\n`,
  );
  const m = only(r.errors, 'LOAD_ERR_COMPILE_CONDITION');
  assert.deepEqual(lineCol(m), [8, 37]);
  assert.equal(m.conditionOffset, 23);
});

test('loadRules() reports an undefined macro at the reference with LOAD_ERR_VALIDATE', () => {
  const r = load(`${RULE_HEAD}  condition: >\n    ka.verb = create and\n    not_a_macro\n`);
  const m = only(r.errors, 'LOAD_ERR_VALIDATE');
  assert.equal(m.message, "Undefined macro 'not_a_macro' used in filter.");
  assert.deepEqual(lineCol(m), [8, 5]);
  assert.equal(m.conditionOffset, 21);
  assert.equal(m.locations[0]?.itemType, 'rule');
});

test('loadRules() points into the macro when a field inside a used macro is unknown', () => {
  const r = load(`- macro: m\n  condition: ka.verbb = create\n${RULE_HEAD}  condition: m\n`);
  const m = only(r.errors, 'LOAD_ERR_COMPILE_CONDITION');
  assert.equal(m.reason, 'unknown_field');
  assert.deepEqual(lineCol(m), [2, 14]);
  assert.equal(m.locations[0]?.itemType, 'macro');
});

test('loadRules() rejects contains on a list field', () => {
  const r = load(`${RULE_HEAD}  condition: ka.user.groups contains system:masters\n`);
  const m = only(r.errors, 'LOAD_ERR_COMPILE_CONDITION');
  assert.ok(m.reason !== undefined && m.reason !== 'unknown_field', `reason ${m.reason}`);
  const [line, col] = lineCol(m);
  assert.equal(line, 6);
  assert.ok(col >= 14 && col <= 29, `column ${col}`);
});

test('loadRules() reports unbalanced parentheses on the condition line', () => {
  const r = load(`${RULE_HEAD}  condition: (ka.verb = create and (ka.user.name = bob)\n`);
  const m = only(r.errors, 'LOAD_ERR_COMPILE_CONDITION');
  assert.ok(m.reason === 'unclosed_paren' || m.reason === 'unexpected_end', `reason ${m.reason}`);
  assert.equal(lineCol(m)[0], 6);
  assert.ok((m.conditionOffset ?? -1) >= 0);
});

test('loadRules() keeps a later list name literal and warns on the item', () => {
  const r = load(
    `- list: outer\n  items: [inner, x]\n${RULE_HEAD}  condition: ka.verb in (outer)\n- list: inner\n  items: [y]\n`,
  );
  assert.equal(r.ok, true);
  const w = only(r.warnings, 'LOAD_UNKNOWN_ITEM');
  assert.deepEqual(lineCol(w), [2, 11]);
  assert.match(w.message, /bad\.yaml:9\)/);
  assert.deepEqual(r.lists.get('outer'), ['inner', 'x']);
});

test('loadRules() rejects an append to a rule that does not exist, at the item', () => {
  const r = load('- rule: nope\n  condition: and ka.verb = get\n  append: true\n');
  const m = only(r.errors, 'LOAD_ERR_VALIDATE');
  assert.match(m.message, /no rule by that name already exists/);
  assert.deepEqual(lineCol(m), [1, 3]);
  only(r.warnings, 'LOAD_DEPRECATED_ITEM');
});

test('loadRules() rejects appending to priority, pointing at the override key', () => {
  const r = load(
    `${RULE_HEAD}  condition: ka.verb = get\n- rule: r\n  priority: ERROR\n  override:\n    priority: append\n`,
  );
  const m = only(r.errors, 'LOAD_ERR_YAML_VALIDATE');
  assert.equal(m.message, "Key 'priority' cannot be appended to, use 'replace' instead");
  assert.deepEqual(lineCol(m), [10, 5]);
  assert.match(m.snippet ?? '', /priority: append/);
});

test('loadRules() rejects a key that has no override entry, at that key', () => {
  const r = load(
    `${RULE_HEAD}  condition: ka.verb = get\n- rule: r\n  desc: more\n  output: extra\n  override:\n    desc: append\n`,
  );
  const m = only(r.errors, 'LOAD_ERR_YAML_VALIDATE');
  assert.equal(
    m.message,
    "Unexpected key 'output': no corresponding entry under 'override' is defined.",
  );
  assert.deepEqual(lineCol(m), [9, 3]);
});

test('loadRules() rejects override together with append: true', () => {
  const r = load(
    `${RULE_HEAD}  condition: ka.verb = get\n- rule: r\n  condition: and ka.verb = list\n  append: true\n  override:\n    condition: append\n`,
  );
  const m = only(r.errors, 'LOAD_ERR_VALIDATE');
  assert.match(m.message, /^Keys 'override' and 'append: true' cannot be used together/);
  assert.deepEqual(lineCol(m), [7, 3]);
});

test('loadRules() rejects a macro append before the macro exists', () => {
  const r = load('- macro: m\n  condition: or ka.verb = get\n  override:\n    condition: append\n');
  const m = only(r.errors, 'LOAD_ERR_VALIDATE');
  assert.match(m.message, /^Macro uses 'append'/);
  assert.deepEqual(lineCol(m), [1, 3]);
});

test('loadRules() rejects an invalid override operation with the allowed ones', () => {
  const r = load(
    '- list: l\n  items: [a]\n- list: l\n  items: [b]\n  override:\n    items: merge\n',
  );
  const m = only(r.errors, 'LOAD_ERR_YAML_VALIDATE');
  assert.equal(
    m.message,
    "Invalid override operation for key 'items': 'merge'. Allowed values are: append replace ",
  );
  assert.deepEqual(lineCol(m), [6, 12]);
});

test('loadRules() warns LOAD_UNSAFE_NA_CHECK for <NA> comparisons, also through a transformer', () => {
  const r = load(`${RULE_HEAD}  condition: ka.verb = get and tolower(ka.user.name) = <NA>\n`);
  assert.equal(r.ok, true);
  const w = only(r.warnings, 'LOAD_UNSAFE_NA_CHECK');
  assert.deepEqual(lineCol(w), [6, 32]);
  const quiet = load(`${RULE_HEAD}  condition: ka.user.name exists\n`);
  assert.deepEqual(quiet.warnings, []);
});

test('loadRules() warns when a value spells a known field (LOAD_COMPILE_CONDITION)', () => {
  const r = load(`${RULE_HEAD}  condition: ka.user.name = ka.impuser.name\n`);
  const w = only(r.warnings, 'LOAD_COMPILE_CONDITION');
  assert.equal(w.message, "'ka.impuser.name' may be a valid field misused as a const string value");
  assert.deepEqual(lineCol(w), [6, 29]);
});

test('loadRules() refuses a regex RE2 refuses with LOAD_ERR_COMPILE_CONDITION at the pattern', () => {
  const r = load(`${RULE_HEAD}  condition: ka.verb = create and ka.user.name regex '\\\\pL+'\n`);
  const m = only(r.errors, 'LOAD_ERR_COMPILE_CONDITION');
  assert.equal(m.reason, 'bad_regex');
  assert.deepEqual(lineCol(m), [6, 54]);
  assert.match(m.message, /invalid escape sequence: \\p/);
  assert.match(m.snippet ?? '', /\n {53}\^{7}$/);
});

test('loadRules() refuses a field on the right of regex, as libsinsp does', () => {
  const r = load(`${RULE_HEAD}  condition: ka.user.name regex val(ka.target.name)\n`);
  const m = only(r.errors, 'LOAD_ERR_COMPILE_CONDITION');
  assert.equal(m.reason, 'unsupported_operator');
  assert.deepEqual(lineCol(m), [6, 33]);
});
