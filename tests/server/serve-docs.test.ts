// docs/serve.md documents every setting (flag, key, variable) and every kaudit_* metric
// serve exports, and the README points to it: a setting or a metric added without its
// documentation fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { envName, SETTINGS } from '../../src/server/config/settings.ts';
import { createServeMetrics } from '../../src/server/metrics.ts';
import { REPO_ROOT } from '../helpers/shared.ts';

const DOC = readFileSync(join(REPO_ROOT, 'docs', 'serve.md'), 'utf8');

test('docs/serve.md names the flag, the config key and the variable of every setting', () => {
  for (const def of SETTINGS) {
    assert.match(DOC, new RegExp(`--${def.flag}(?![\\w-])`), `--${def.flag}`);
    assert.ok(DOC.includes(`\`${def.key}\``), def.key);
    assert.ok(DOC.includes(`\`${envName(def)}\``), envName(def));
  }
});

test('docs/serve.md describes every kaudit_* metric of /metrics', async () => {
  const { registry } = createServeMetrics();
  const names = (await registry.getMetricsAsJSON())
    .map((m) => m.name)
    .filter((n) => n.startsWith('kaudit_'));
  assert.ok(names.length > 10);
  for (const n of names) assert.ok(DOC.includes(`\`${n}\``), n);
  registry.clear();
});

test('README.md has the "Live from the apiserver" section, pointing to docs/serve.md, deploy/ and the example', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf('## Live from the apiserver');
  assert.ok(at >= 0);
  const section = readme.slice(at, readme.indexOf('\n## ', at + 1));
  for (const link of ['docs/serve.md', 'examples/kaudit.yaml', '(deploy)']) {
    assert.ok(section.includes(link), link);
  }
});
