import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatLoadResult, loadResultToJSON, loadRules } from '../../src/rules/index.ts';

const BAD =
  '- macro: unused\n  condition: ka.verb = get\n- rule: r\n  desc: d\n  condition: ka.verb = get and nope\n  output: o\n  priority: INFO\n  source: k8s_audit\n';

test('formatLoadResult() prints file:line:col, severity, code, item and a caret', () => {
  const r = loadRules([{ name: 'x.yaml', content: BAD }]);
  const text = formatLoadResult(r, { verbose: false });
  const [head, line, caret] = text.split('\n');
  assert.equal(
    head,
    "x.yaml:5:32: error LOAD_ERR_VALIDATE: In rule 'r': Undefined macro 'nope' used in filter.",
  );
  assert.equal(line, '      condition: ka.verb = get and nope');
  assert.equal(caret, `    ${' '.repeat(31)}^^^^`);
});

test('formatLoadResult() adds warnings only when verbose', () => {
  const ok = loadRules([{ name: 'y.yaml', content: BAD.replace(' and nope', '') }]);
  assert.equal(formatLoadResult(ok, { verbose: false }), '');
  assert.match(
    formatLoadResult(ok, { verbose: true }),
    /^y\.yaml:1:3: warning LOAD_UNUSED_MACRO: In macro 'unused': /,
  );
});

test('loadResultToJSON() has Falco falco_load_results shape', () => {
  const r = loadRules([{ name: 'x.yaml', content: BAD }]);
  const json = JSON.parse(JSON.stringify(loadResultToJSON(r)));
  const [file] = json.falco_load_results;
  assert.equal(file.name, 'x.yaml');
  assert.equal(file.successful, false);
  const [err] = file.errors;
  assert.equal(err.code, 'LOAD_ERR_VALIDATE');
  assert.equal(err.codedesc, 'Error validating rule/macro/list/exception objects');
  assert.deepEqual(err.context.locations[0], {
    item_type: 'rule',
    item_name: 'r',
    position: { name: 'x.yaml', line: 3, column: 3, offset: 45 },
  });
  assert.equal(typeof err.context.snippet, 'string');
  assert.deepEqual(file.warnings, []);
});
