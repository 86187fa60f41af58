import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BASE_NS, makeAlert, SECOND_NS } from '../../helpers/store-alerts.ts';
import { type ApiServer, call, READ_TOKEN, startApi } from './harness.ts';

describe('GET /api/v1/alerts over HTTP', () => {
  let s: ApiServer;
  before(async () => {
    s = await startApi();
    await s.store.insert([
      makeAlert({
        rule: 'A',
        priority: 'Critical',
        at: 10,
        namespace: 'shop',
        user: 'alice',
        verb: 'create',
        tags: ['k8s', 'T1'],
        cluster: 'eu',
      }),
      makeAlert({
        rule: 'B',
        priority: 'Warning',
        at: 20,
        namespace: 'bank',
        user: 'bob',
        verb: 'delete',
        cluster: 'us',
      }),
      makeAlert({
        rule: 'C',
        priority: 'Notice',
        at: 30,
        namespace: 'shop',
        user: 'carol',
        verb: 'get',
        resource: 'secrets',
        source: 'k8s_admission',
      }),
      makeAlert({
        rule: 'D',
        priority: 'Error',
        at: 40,
        resource: 'pods',
        subresource: 'exec',
        user: 'dave',
        message: 'Shell In Container',
      }),
    ]);
  });
  after(() => s.close());

  const rulesOf = async (query: string, token?: string) => {
    const r = await call(s, `/api/v1/alerts${query}`, token === undefined ? {} : { token });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return (r.body.items as { rule: string }[])
      .map((a) => a.rule)
      .sort()
      .join('');
  };

  it('answers every filter of the contract with the alerts it selects', async () => {
    assert.equal(await rulesOf(''), 'ABCD');
    assert.equal(await rulesOf('?from=2026-11-02T10:00:20Z'), 'BCD');
    assert.equal(await rulesOf(`?to=${BASE_NS + 30n * SECOND_NS}`), 'AB');
    assert.equal(await rulesOf('?priority=error'), 'AD', 'priority is a minimum, any case');
    assert.equal(await rulesOf('?priority=Warning'), 'ABD');
    assert.equal(await rulesOf('?rule=A&rule=C'), 'AC', 'rule repeats');
    assert.equal(await rulesOf('?rule=B'), 'B');
    assert.equal(await rulesOf('?source=k8s_admission'), 'C');
    assert.equal(await rulesOf('?tag=T1'), 'A');
    assert.equal(await rulesOf('?cluster=us'), 'B');
    assert.equal(await rulesOf('?namespace=shop'), 'AC');
    assert.equal(await rulesOf('?user=carol'), 'C');
    assert.equal(await rulesOf('?verb=delete'), 'B');
    assert.equal(await rulesOf('?resource=secrets'), 'C');
    assert.equal(await rulesOf(`?resource=${encodeURIComponent('pods/exec')}`), 'D');
    assert.equal(await rulesOf('?q=shell%20IN'), 'D', 'q: case-insensitive text');
    assert.equal(await rulesOf('?namespace=shop&priority=critical'), 'A');
    assert.equal(await rulesOf('?namespace=shop', READ_TOKEN), 'AC', 'a read token lists');
  });

  it('pages with limit and cursor, newest first, while alerts keep arriving', async () => {
    const seen: string[] = [];
    let path = '/api/v1/alerts?limit=1';
    for (let i = 0; i < 10; i++) {
      const r = await call(s, path);
      assert.equal(r.status, 200);
      seen.push(...r.body.items.map((a: { rule: string }) => a.rule));
      await s.store.insert([makeAlert({ rule: `late${i}`, at: 100 + i })]);
      if (r.body.next === null) break;
      path = `/api/v1/alerts?limit=1&cursor=${encodeURIComponent(r.body.next)}`;
    }
    assert.deepEqual(seen, ['D', 'C', 'B', 'A']);
    await s.store.delete({ rule: Array.from({ length: 10 }, (_, i) => `late${i}`) });
  });

  it('answers bad parameters with 400 and a JSON error code', async () => {
    const cases: [string, string][] = [
      ['?priority=loud', 'bad_filter'],
      ['?from=last-week', 'bad_filter'],
      ['?limit=0', 'bad_filter'],
      ['?limit=501', 'bad_filter'],
      ['?limit=ten', 'bad_request'],
      ['?cursor=bm9wZQ', 'bad_cursor'],
      ['?namespace=a&namespace=b', 'bad_request'],
      [`?q=${'x'.repeat(2000)}`, 'bad_filter'],
    ];
    for (const [query, code] of cases) {
      const r = await call(s, `/api/v1/alerts${query}`);
      assert.equal(r.status, 400, query);
      assert.equal(r.body.error.code, code, query);
      assert.equal(typeof r.body.error.message, 'string');
    }
    const nf = await call(s, '/api/v1/nothing-here');
    assert.equal(nf.status, 404);
    assert.equal(nf.body.error.code, 'not_found');
  });

  it('GET alerts/{id} returns the event and the rule; 404 for an unknown id', async () => {
    const list = await call(s, '/api/v1/alerts?rule=A');
    const id = list.body.items[0].id;
    const r = await call(s, `/api/v1/alerts/${id}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.event.objectRef.namespace, 'shop');
    assert.equal(r.body.ruleInfo, null, 'rule A is not loaded');
    await s.store.insert([makeAlert({ rule: 'Create Pod', at: 1 })]);
    const cp = (await call(s, '/api/v1/alerts?rule=Create%20Pod')).body.items[0];
    const withRule = await call(s, `/api/v1/alerts/${cp.id}`);
    assert.deepEqual(withRule.body.ruleInfo, {
      description: 'A pod was created',
      condition: 'ka.verb = create and ka.target.resource = pods',
      tags: ['k8s'],
      priority: 'Warning',
      source: 'k8s_audit',
      defined: 'rules/test.yaml:3:3',
    });
    await s.store.delete({ rule: ['Create Pod'] });
    for (const bad of ['999999', 'abc', '%27%20OR%201=1']) {
      const nf = await call(s, `/api/v1/alerts/${bad}`);
      assert.equal(nf.status, 404, bad);
      assert.equal(nf.body.error.code, 'not_found');
    }
  });

  it('GET alerts/counts groups by key in buckets of the given duration', async () => {
    const r = await call(
      s,
      '/api/v1/alerts/counts?by=namespace&bucket=20s&from=2026-11-02T10:00:00Z&to=2026-11-02T10:01:00Z',
    );
    assert.equal(r.status, 200);
    assert.equal(r.body.bucketMs, 20_000);
    assert.deepEqual(r.body.totals, [
      { key: 'shop', count: 2 },
      { key: 'bank', count: 1 },
      { key: 'default', count: 1 },
    ]);
    assert.deepEqual(r.body.buckets, [
      { t: '2026-11-02T10:00:00.000000000Z', counts: { shop: 1 } },
      { t: '2026-11-02T10:00:20.000000000Z', counts: { bank: 1, shop: 1 } },
      { t: '2026-11-02T10:00:40.000000000Z', counts: { default: 1 } },
    ]);
    const top = await call(s, '/api/v1/alerts/counts?by=rule&limit=1&priority=warning');
    assert.equal(top.body.totals.length, 1);
    const byDefault = await call(s, '/api/v1/alerts/counts');
    assert.equal(byDefault.body.by, 'priority');
    for (const q of ['by=verb', 'bucket=5x', 'limit=0']) {
      const bad = await call(s, `/api/v1/alerts/counts?${q}`);
      assert.equal(bad.status, 400, q);
    }
  });

  it('GET rules lists the provider rules; whoami tells the role', async () => {
    assert.deepEqual(
      (await call(s, '/api/v1/rules')).body.map((r: { name: string }) => r.name),
      ['Create Pod'],
    );
    assert.deepEqual((await call(s, '/api/v1/whoami')).body, { role: 'admin' });
    assert.deepEqual((await call(s, '/api/v1/whoami', { token: READ_TOKEN })).body, {
      role: 'read',
    });
  });

  it('DELETE alerts (admin) deletes what the filter selects; no filter needs all=true', async () => {
    await s.store.insert([makeAlert({ rule: 'gone', at: 1 }), makeAlert({ rule: 'gone', at: 2 })]);
    const refused = await call(s, '/api/v1/alerts', { method: 'DELETE' });
    assert.equal(refused.status, 400);
    assert.equal(await rulesOf('?rule=gone').then((r) => r.length), 8);
    const r = await call(s, '/api/v1/alerts?rule=gone', { method: 'DELETE' });
    assert.deepEqual(r.body, { deleted: 2 });
    assert.equal(await rulesOf(''), 'ABCD');
  });
});

describe('the alerts API under a base path', () => {
  it('serves /base/api/v1/... and nothing at /api/v1/...', async () => {
    const s = await startApi({ basePath: '/kaudit/ui' });
    try {
      await s.store.insert([makeAlert({ rule: 'x' })]);
      const r = await call(s, '/api/v1/alerts');
      assert.equal(r.status, 200);
      assert.equal(r.body.items.length, 1);
      const root = await fetch(`${s.origin}/api/v1/alerts`, {
        headers: { authorization: 'Bearer x' },
      });
      assert.equal(root.status, 404);
      const doc = await call(s, '/api/v1/openapi.json', { token: null });
      assert.equal(doc.body.servers[0].url, '/kaudit/ui/api/v1');
    } finally {
      await s.close();
    }
  });

  it('DELETE all=true and POST admin/reload-rules call through; reload failures are 422', async () => {
    let outcome = { ok: true, errors: [] as string[] };
    const s = await startApi({ reloadRules: async () => outcome });
    try {
      await s.store.insert([makeAlert(), makeAlert()]);
      assert.deepEqual((await call(s, '/api/v1/alerts?all=true', { method: 'DELETE' })).body, {
        deleted: 2,
      });
      const ok = await call(s, '/api/v1/admin/reload-rules', { method: 'POST' });
      assert.equal(ok.status, 200);
      outcome = { ok: false, errors: ['rules.yaml:3:1: bad'] };
      const bad = await call(s, '/api/v1/admin/reload-rules', { method: 'POST' });
      assert.equal(bad.status, 422);
      assert.equal(bad.body.error.code, 'rules_invalid');
      assert.deepEqual(bad.body.errors, ['rules.yaml:3:1: bad']);
    } finally {
      await s.close();
    }
    const none = await startApi();
    try {
      assert.equal(
        (await call(none, '/api/v1/admin/reload-rules', { method: 'POST' })).status,
        501,
      );
    } finally {
      await none.close();
    }
  });
});
