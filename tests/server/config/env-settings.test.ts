// KAUDIT_* variables as `kaudit serve` reads them (readEnvSettings): lists one item per
// line, or one line split at the commas that are not inside an output's [options].
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readEnvSettings } from '../../../src/server/config/load-config.ts';

const outputsOf = (text: string): unknown =>
  readEnvSettings({ KAUDIT_OUTPUT: text }).get('outputs')?.value;

test('readEnvSettings() splits KAUDIT_OUTPUT at commas, but not inside [options]', () => {
  assert.deepEqual(
    outputsOf('file:/var/log/a.json, http[min-priority=error,tag=k8s]:http://h:2801/,stdout'),
    ['file:/var/log/a.json', 'http[min-priority=error,tag=k8s]:http://h:2801/', 'stdout'],
  );
});

test('readEnvSettings() takes one item per line when the value has several lines, commas and all', () => {
  assert.deepEqual(outputsOf('program:jq -c "{a,b}" >> /tmp/x\nhttp:http://h/?a=1,2\n'), [
    'program:jq -c "{a,b}" >> /tmp/x',
    'http:http://h/?a=1,2',
  ]);
});

test('readEnvSettings() names the variable as the origin and leaves unset and empty ones out', () => {
  const s = readEnvSettings({ KAUDIT_LISTEN: ':9765', KAUDIT_CLUSTER: '', KAUDIT_RULES: 'a,b' });
  assert.deepEqual(s.get('listen'), {
    value: ':9765',
    origin: { kind: 'env', where: 'KAUDIT_LISTEN' },
  });
  assert.deepEqual(s.get('rules')?.value, ['a', 'b']);
  assert.equal(s.has('cluster'), false);
  assert.equal(s.has('dataDir'), false);
});
