import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadRules } from '../../src/rules/index.ts';
import { checkPluginRequirement, PLUGIN_VERSIONS, pluginsFor } from '../../src/rules/versions.ts';

const plugins = (...p: [string, string][]): Map<string, string> => new Map(p);

test('checkPluginRequirement() accepts the same major at or above the required version', () => {
  assert.equal(
    checkPluginRequirement(
      [{ name: 'k8saudit', version: '0.1.0' }],
      plugins(['k8saudit', '0.2.0']),
    ),
    undefined,
  );
  assert.match(
    checkPluginRequirement(
      [{ name: 'k8saudit', version: '0.2.0' }],
      plugins(['k8saudit', '0.1.0']),
    ) ?? '',
    /^Plugin 'k8saudit' version '0.1.0' is not compatible with required plugin version '0.2.0'$/,
  );
  assert.ok(
    checkPluginRequirement(
      [{ name: 'k8saudit', version: '1.0.0' }],
      plugins(['k8saudit', '0.7.0']),
    ),
  );
});

test('checkPluginRequirement() lets the first loaded alternative decide', () => {
  const reqs = [
    { name: 'k8saudit', version: '0.1.0' },
    { name: 'k8saudit-other', version: '0.4.0' },
  ];
  assert.equal(checkPluginRequirement(reqs, plugins(['k8saudit-other', '0.5.0'])), undefined);
  assert.equal(
    checkPluginRequirement(reqs, plugins(['json', '0.1.0'])),
    'Plugin requirement not satisfied, must load one of: k8saudit (>= 0.1.0), k8saudit-other (>= 0.4.0)',
  );
});

const content = (body: string): { name: string; content: string }[] => [
  { name: 'v.yaml', content: body },
];

test('loadRules() reads required_engine_version as 0.N.0 or semver', () => {
  assert.equal(
    loadRules(content('- required_engine_version: 15\n')).requiredEngineVersion,
    '0.15.0',
  );
  assert.equal(
    loadRules(content('- required_engine_version: 0.26.0\n')).requiredEngineVersion,
    '0.26.0',
  );
  const high = loadRules(content('- required_engine_version: 0.99.0\n'));
  assert.equal(high.errors[0]?.code, 'LOAD_ERR_VALIDATE');
  assert.equal(high.errors[0]?.locations[0]?.itemType, 'required_engine_version');
  const bad = loadRules(content('- required_engine_version: soon\n'));
  assert.equal(bad.errors[0]?.code, 'LOAD_ERR_YAML_VALIDATE');
});

test('loadRules() checks required_plugin_versions against the declared plugins', () => {
  const ok = loadRules(
    content(
      '- required_plugin_versions:\n  - name: k8saudit\n    version: 0.7.0\n    alternatives:\n      - name: k8saudit-eks\n        version: 0.1.0\n  - name: json\n    version: 0.7.0\n',
    ),
  );
  assert.deepEqual(ok.errors, []);
  const dup = loadRules(
    content(
      '- required_plugin_versions:\n  - name: k8saudit\n    version: 0.1.0\n    alternatives:\n      - name: k8saudit\n        version: 0.4.0\n',
    ),
  );
  assert.equal(
    dup.errors[0]?.message,
    "Defined multiple alternative version requirements for plugin 'k8saudit'",
  );
  const missing = loadRules(
    content('- required_plugin_versions:\n  - name: cloudtrail\n    version: 0.1.0\n'),
  );
  assert.equal(missing.errors[0]?.code, 'LOAD_ERR_VALIDATE');
  assert.ok(missing.errors[0]?.locations.some((l) => l.itemName === 'cloudtrail'));
});

test('pluginsFor() claims the one plugin that provides k8s_audit for the input, with json and k8sadmission', () => {
  const names = (p: Parameters<typeof pluginsFor>[0]) => [...pluginsFor(p).keys()];
  assert.deepEqual(names('auto'), ['k8saudit', 'json', 'k8sadmission']);
  assert.deepEqual(names('webhook'), ['k8saudit', 'json', 'k8sadmission']);
  assert.deepEqual(names('jsonl'), ['k8saudit', 'json', 'k8sadmission']);
  assert.deepEqual(names('eks'), ['k8saudit-eks', 'json', 'k8sadmission']);
  assert.deepEqual(names('gke'), ['k8saudit-gke', 'json', 'k8sadmission']);
  assert.deepEqual(names('aks'), ['k8saudit-aks', 'json', 'k8sadmission']);
  assert.deepEqual(names('ovh'), ['k8saudit-ovh', 'json', 'k8sadmission']);
  assert.equal(pluginsFor('eks').get('k8saudit-eks'), PLUGIN_VERSIONS.get('k8saudit-eks'));
});

test('loadRules() checks alternatives against the plugin providing the source, at file:line:col', () => {
  const official =
    '- required_plugin_versions:\n  - name: k8saudit\n    version: 0.18.0\n    alternatives:\n      - name: k8saudit-eks\n        version: 0.12.0\n      - name: k8saudit-gke\n        version: 0.9.0\n';
  for (const p of ['auto', 'eks', 'gke'] as const) {
    assert.deepEqual(loadRules(content(official), { plugins: pluginsFor(p) }).errors, [], p);
  }
  // The provider that decides is the one loaded: aks is not among the alternatives.
  const aks = loadRules(content(official), { plugins: pluginsFor('aks') });
  assert.equal(
    aks.errors[0]?.message,
    'Plugin requirement not satisfied, must load one of: k8saudit (>= 0.18.0), k8saudit-eks (>= 0.12.0), k8saudit-gke (>= 0.9.0)',
  );
  const eksOnly = '- required_plugin_versions:\n  - name: k8saudit-eks\n    version: 0.10.0\n';
  assert.deepEqual(loadRules(content(eksOnly), { plugins: pluginsFor('eks') }).errors, []);
  const auto = loadRules(content(eksOnly));
  assert.equal(auto.errors[0]?.code, 'LOAD_ERR_VALIDATE');
  const pos = auto.errors[0]?.locations.at(-1)?.position;
  assert.deepEqual([pos?.line, pos?.column], [2, 5]);
  // The alternative that names the loaded plugin decides, even when an earlier one would pass.
  const tooNew =
    '- required_plugin_versions:\n  - name: k8saudit\n    version: 0.1.0\n    alternatives:\n      - name: k8saudit-eks\n        version: 0.99.0\n';
  assert.equal(loadRules(content(tooNew)).ok, true);
  assert.equal(
    loadRules(content(tooNew), { plugins: pluginsFor('eks') }).errors[0]?.message,
    "Plugin 'k8saudit-eks' version '0.12.0' is not compatible with required plugin version '0.99.0'",
  );
});
