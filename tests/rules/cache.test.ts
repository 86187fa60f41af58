import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  readCachedLoad,
  rulesCacheDir,
  rulesCacheKey,
  writeCachedLoad,
} from '../../src/rules/cache.ts';
import { DEFAULT_RULES_PATH, loadRules, readRulesPaths } from '../../src/rules/index.ts';
import { bundleIsFresh, runKaudit } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';
import { HAS_SHARED, SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';

const FALCO_RULES = HAS_SHARED ? sharedFixture('falco', 'rules', 'k8s_audit_rules.yaml') : '';

async function roundTrip(path: string): Promise<void> {
  const read = await readRulesPaths([path]);
  const fresh = loadRules(read.sources);
  assert.ok(fresh.ok, 'the ruleset loads');
  const dir = mkdtempSync(join(tmpdir(), 'kaudit-rc-'));
  const key = rulesCacheKey(read.sources, {});
  writeCachedLoad(dir, key, fresh);
  const cached = readCachedLoad(dir, key);
  // Everything the engine and the messages use survives the JSON round trip.
  assert.deepEqual(cached, fresh);
}

test('a cached load equals a fresh one: our default rules', () => roundTrip(DEFAULT_RULES_PATH));

test('a cached load equals a fresh one: Falco k8s_audit_rules.yaml', { skip: SHARED_SKIP }, () =>
  roundTrip(FALCO_RULES),
);

test('the cache key changes with a file text, a file name and the load options', () => {
  const a = [{ name: 'r.yaml', content: '- list: l\n  items: [a]\n' }];
  const k = rulesCacheKey(a, {});
  assert.equal(rulesCacheKey(a, {}), k);
  assert.notEqual(rulesCacheKey([{ ...a[0]!, content: '- list: l\n  items: [b]\n' }], {}), k);
  assert.notEqual(rulesCacheKey([{ ...a[0]!, name: 'other.yaml' }], {}), k);
  assert.notEqual(rulesCacheKey(a, { minPriority: 'WARNING' }), k);
  // Two files are not one file with the texts joined.
  const split = [
    { name: 'r.yaml', content: 'ab' },
    { name: 'r.yaml', content: 'c' },
  ];
  assert.notEqual(
    rulesCacheKey(split, {}),
    rulesCacheKey([{ name: 'r.yaml', content: 'abc' }], {}),
  );
});

test('a damaged or foreign cache entry is ignored, not trusted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kaudit-rc-'));
  writeFileSync(join(dir, 'rules-bad.json'), '{"format":1,"result":');
  assert.equal(readCachedLoad(dir, 'bad'), undefined);
  writeFileSync(join(dir, 'rules-old.json'), '{"format":0,"result":{"lists":[]}}');
  assert.equal(readCachedLoad(dir, 'old'), undefined);
  assert.equal(readCachedLoad(dir, 'missing'), undefined);
});

test('an entry others could have written is not trusted', async () => {
  const read = await readRulesPaths([DEFAULT_RULES_PATH]);
  const fresh = loadRules(read.sources);
  const dir = mkdtempSync(join(tmpdir(), 'kaudit-rc-'));
  const key = rulesCacheKey(read.sources, {});
  writeCachedLoad(dir, key, fresh);
  const file = join(dir, `rules-${key}.json`);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.notEqual(readCachedLoad(dir, key), undefined);
  chmodSync(file, 0o666);
  assert.equal(readCachedLoad(dir, key), undefined);
});

test('the cache is off when run from the sources (no bundle to key entries with)', () => {
  // Under tsx there is no bundle identity to key entries with.
  assert.equal(rulesCacheDir({ KAUDIT_CACHE_DIR: '/tmp/x' }), undefined);
});

test('kaudit scan caches loaded rules and never serves a stale entry', () => {
  // The cache exists only in the bundle, which `npm test` builds first (pretest): a stale
  // dist/ here would make this test vacuous, so it fails instead of skipping.
  assert.ok(bundleIsFresh(), 'dist/ is older than src/: run `npm run build`');
  const dir = mkdtempSync(join(tmpdir(), 'kaudit-rc-cli-'));
  const cache = join(dir, 'cache');
  const rules = join(dir, 'rules.yaml');
  const log = join(dir, 'audit.log');
  writeFileSync(log, `${JSON.stringify(auditEvent({ verb: 'delete' }))}\n`);
  const rule = (text: string): string =>
    `- rule: D\n  desc: d\n  condition: ka.verb = delete\n  output: ${text}\n  priority: WARNING\n  source: k8s_audit\n`;
  const env = { KAUDIT_CACHE_DIR: cache };
  writeFileSync(rules, rule('first'));
  const one = runKaudit(['scan', '-r', rules, log], { env });
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /Warning first/);
  assert.equal(readdirSync(cache).filter((n) => n.startsWith('rules-')).length, 1);
  const again = runKaudit(['scan', '-r', rules, log], { env });
  assert.equal(again.stdout, one.stdout);
  // Same path, new text: a new entry, the new output.
  writeFileSync(rules, rule('second'));
  const two = runKaudit(['scan', '-r', rules, log], { env });
  assert.match(two.stdout, /Warning second/);
  assert.equal(readdirSync(cache).filter((n) => n.startsWith('rules-')).length, 2);
  // KAUDIT_NO_CACHE=1 neither reads nor writes.
  writeFileSync(rules, rule('third'));
  const off = runKaudit(['scan', '-r', rules, log], { env: { ...env, KAUDIT_NO_CACHE: '1' } });
  assert.match(off.stdout, /Warning third/);
  assert.equal(readdirSync(cache).filter((n) => n.startsWith('rules-')).length, 2);
});
