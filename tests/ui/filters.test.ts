import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  apiParams,
  bucketFor,
  DEFAULT_RANGE,
  formatFilter,
  hasConditions,
  readFilter,
} from '../../ui/src/lib/filters.ts';

describe('readFilter() and formatFilter()', () => {
  test('every API filter survives a round trip through the page URL', () => {
    const search =
      'from=2026-03-02T10%3A00%3A00Z&to=2026-03-02T11%3A00%3A00Z&priority=Warning' +
      '&rule=Shell+Into+Pod&rule=Namespace+Deleted&source=k8s_audit&tag=T1609&cluster=prod' +
      '&namespace=shop&user=kubernetes-admin&verb=create&resource=pods%2Fexec&q=bash';
    const f = readFilter(`?${search}`);
    assert.equal(f.range, 'custom');
    assert.equal(f.from, '2026-03-02T10:00:00Z');
    assert.equal(f.to, '2026-03-02T11:00:00Z');
    assert.equal(f.priority, 'Warning');
    assert.deepEqual(f.rule, ['Shell Into Pod', 'Namespace Deleted']);
    assert.deepEqual(f.text, {
      source: 'k8s_audit',
      tag: 'T1609',
      cluster: 'prod',
      namespace: 'shop',
      user: 'kubernetes-admin',
      verb: 'create',
      resource: 'pods/exec',
    });
    assert.equal(f.q, 'bash');
    assert.equal(formatFilter(f), search);
  });

  test('the default range leaves an empty query string', () => {
    const f = readFilter('');
    assert.equal(f.range, DEFAULT_RANGE);
    assert.equal(formatFilter(f), '');
    assert.equal(hasConditions(f), false);
  });

  test('malformed values are dropped, not passed on', () => {
    const f = readFilter('?range=1y&priority=Loud&from=yesterday&user=&rule=');
    assert.equal(f.range, DEFAULT_RANGE);
    assert.equal(f.priority, undefined);
    assert.equal(f.from, undefined);
    assert.deepEqual(f.text, {});
    assert.deepEqual(f.rule, []);
  });

  test('values from a shared URL are bounded in length and count', () => {
    const long = 'x'.repeat(10_000);
    const rules = Array.from({ length: 200 }, (_, i) => `rule=r${i}`).join('&');
    const f = readFilter(`?user=${long}&${rules}`);
    assert.equal(f.text.user?.length, 500);
    assert.equal(f.rule.length, 50);
  });

  test('from/to only count for the custom range', () => {
    const f = readFilter('?range=1h&from=2026-03-02T10:00:00Z');
    assert.equal(f.range, '1h');
    assert.equal(f.from, undefined);
  });
});

describe('apiParams()', () => {
  const now = Date.parse('2026-03-02T12:00:00Z');

  test('a relative range becomes an open-ended from', () => {
    const p = apiParams(readFilter('?range=15m&priority=Error&user=u'), now);
    assert.equal(p.from, '2026-03-02T11:45:00.000Z');
    assert.equal(p.to, undefined);
    assert.equal(p.priority, 'Error');
    assert.equal(p.user, 'u');
  });

  test('"All time" sends no bounds; without time no bounds either', () => {
    assert.equal(apiParams(readFilter('?range=all'), now).from, undefined);
    const p = apiParams(readFilter('?range=24h&q=x'), now, false);
    assert.equal(p.from, undefined);
    assert.equal(p.q, 'x');
  });
});

describe('bucketFor()', () => {
  test('gives at most about 100 buckets on a round step', () => {
    assert.equal(bucketFor(15 * 60_000), '15s');
    assert.equal(bucketFor(3_600_000), '1m');
    assert.equal(bucketFor(86_400_000), '15m');
    assert.equal(bucketFor(7 * 86_400_000), '3h');
  });
});
