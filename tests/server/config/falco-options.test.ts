// Falco's `-o key=value` and falco.yaml's keys: parsing (key paths, list indexes, `[]`,
// YAML values), applying in order, reading the keys kaudit honours, and serve's override
// layer over its config file (kaudit's keys, falco.yaml's spellings, list appends).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { overrideSettings } from '../../../src/cli/serve-overrides.ts';
import {
  applyOverrides,
  parseFalcoOverride,
  readFalcoSettings,
} from '../../../src/server/config/falco-options.ts';
import {
  ConfigError,
  mergeSettings,
  readConfigFile,
} from '../../../src/server/config/load-config.ts';
import { resolveServeConfig } from '../../../src/server/config/serve-config.ts';
import { tempDir } from '../../helpers/serve-kit.ts';

const apply = (...opts: string[]) => applyOverrides({}, opts.map(parseFalcoOverride));

test('parseFalcoOverride() reads dotted paths, indexes, [] and YAML-typed values', () => {
  assert.deepEqual(parseFalcoOverride('json_output=true').value, true);
  assert.deepEqual(parseFalcoOverride('json_output=False').value, false);
  assert.deepEqual(parseFalcoOverride('http_output.url=http://h:2801/x?a=b').path, [
    'http_output',
    'url',
  ]);
  assert.equal(
    parseFalcoOverride('http_output.url=http://h:2801/x?a=b').value,
    'http://h:2801/x?a=b',
  );
  assert.deepEqual(parseFalcoOverride('plugins[0].open_params=trace.json').path, [
    'plugins',
    0,
    'open_params',
  ]);
  assert.deepEqual(parseFalcoOverride('rules[].disable.rule=*').path, [
    'rules',
    { append: true },
    'disable',
    'rule',
  ]);
  assert.deepEqual(parseFalcoOverride('a=[x, y]').value, ['x', 'y']);
  assert.equal(parseFalcoOverride('outputs_queue.capacity=5').value, 5);
  assert.equal(parseFalcoOverride('empty=').value, '');
  for (const bad of ['json_output', '=x', 'a..b=1', 'a b=1']) {
    assert.throws(
      () => parseFalcoOverride(bad),
      (e: unknown) => e instanceof ConfigError && e.code === 'CONFIG_VALUE',
      bad,
    );
  }
});

test('applyOverrides() builds the document in order: later wins, [] appends, indexes set', () => {
  assert.deepEqual(
    apply('json_output=true', 'json_output=false', 'http_output.enabled=true', 'http_output.url=u'),
    { json_output: false, http_output: { enabled: true, url: 'u' } },
  );
  assert.deepEqual(apply('rules[].disable.rule=a', 'rules[].enable.tag=b'), {
    rules: [{ disable: { rule: 'a' } }, { enable: { tag: 'b' } }],
  });
  assert.deepEqual(apply('plugins[0].name=k8saudit'), { plugins: [{ name: 'k8saudit' }] });
  // A later override of another shape replaces what was there.
  assert.deepEqual(apply('a=1', 'a[]=2'), { a: [2] });
  assert.equal(parseFalcoOverride('rules[].disable.rule=*').value, '*');
});

test('readFalcoSettings() takes json_include_*, times, priority, rule_matching, rules_files and the output sections', () => {
  const s = readFalcoSettings(
    apply(
      'json_output=true',
      'json_include_output_property=false',
      'json_include_tags_property=false',
      'json_include_message_property=true',
      'json_include_output_fields_property=false',
      'time_format_iso_8601=true',
      'priority=warning',
      'rule_matching=all',
      'rules_files=[a.yaml, b.yaml]',
      'stdout_output.enabled=false',
      'file_output.enabled=true',
      'file_output.filename=/x/alerts.json',
      'http_output.enabled=true',
      'http_output.url=http://sidekick:2801/',
      'program_output.enabled=false',
      'program_output.program=jq',
    ),
    '-o',
  );
  assert.deepEqual(s, {
    jsonOutput: true,
    includeOutput: false,
    includeTags: false,
    includeMessage: true,
    includeOutputFields: false,
    isoTime: true,
    minPriority: 'warning',
    ruleMatching: 'all',
    rules: ['a.yaml', 'b.yaml'],
    outputs: ['file:/x/alerts.json', 'http:http://sidekick:2801/'],
  });
  assert.deepEqual(readFalcoSettings({}, '-o'), {});
  assert.throws(
    () => readFalcoSettings(apply('json_output=yes please'), '-o'),
    /'json_output' must be true or false/,
  );
  assert.throws(
    () => readFalcoSettings(apply('http_output.enabled=true'), '-o'),
    /'http_output.url' is needed/,
  );
});

test('kaudit.yaml accepts falco.yaml spellings of its keys, and resolves the json_include settings', () => {
  const dir = tempDir();
  const file = join(dir, 'kaudit.yaml');
  writeFileSync(
    file,
    'json_include_tags_property: false\njsonIncludeMessageProperty: true\npriority: error\nrule_matching: all\n',
  );
  const c = resolveServeConfig(mergeSettings(readConfigFile(file)));
  assert.deepEqual(c.jsonIncludes, { includeTags: false, includeMessage: true });
  assert.equal(c.minPriority, 'Error');
  assert.equal(c.ruleMatching, 'all');
  assert.deepEqual(resolveServeConfig(new Map()).jsonIncludes, {});
});

test("serve's -o layer overrides the file's keys, appends to lists and maps falco.yaml's outputs", () => {
  const dir = tempDir();
  const path = join(dir, 'kaudit.yaml');
  writeFileSync(
    path,
    'outputs:\n  - file:/a.json\nminPriority: notice\njsonIncludeTagsProperty: true\n',
  );
  const file = readConfigFile(path);
  const layer = overrideSettings(
    [
      'minPriority=warning',
      'outputs[]=stdout',
      'json_include_tags_property=false',
      'logLevel=debug',
    ],
    file,
  );
  const c = resolveServeConfig(mergeSettings(file, layer));
  assert.equal(c.minPriority, 'Warning');
  assert.deepEqual(c.outputs, ['file:/a.json', 'stdout']);
  assert.deepEqual(c.jsonIncludes, { includeTags: false });
  assert.equal(c.logLevel, 'debug');
  // falco.yaml's sections replace the outputs, as in Falco.
  const falco = overrideSettings(
    ['http_output.enabled=true', 'http_output.url=http://s:2801/'],
    file,
  );
  assert.deepEqual(resolveServeConfig(mergeSettings(file, falco)).outputs, ['http:http://s:2801/']);
  // A bad value names the -o it came from.
  const bad = overrideSettings(['ruleMatching=sometimes'], file);
  assert.throws(
    () => resolveServeConfig(mergeSettings(file, bad)),
    /-o ruleMatching=sometimes: expected first or all/,
  );
  assert.throws(() => overrideSettings(['nope.x=1']), /unknown setting 'nope'/);
  assert.throws(() => overrideSettings(['listen[]=x']), /'listen' is not a list/);
});
