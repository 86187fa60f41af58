import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INDEXED_MAX_BYTES } from '../../src/store/alert-row.ts';
import {
  type AlertFilter,
  type AlertStore,
  createAlertMatcher,
  type StoredAlert,
} from '../../src/store/index.ts';
import { BASE_NS, makeAlert, SECOND_NS } from '../helpers/store-alerts.ts';

/**
 * The conformance suite every AlertStore passes (hono's common.case.test.ts pattern):
 * sqlite-store.test.ts and postgres-store.test.ts run it with their own harness.
 */
export interface StoreHarness {
  /** Opens the store named `key`: the same key reopens the same data. */
  open(key: string): Promise<AlertStore>;
  /** Writes a schema version newer than this kaudit knows into the store `key`. */
  setSchemaVersion(key: string, version: number): Promise<void>;
  /** The schema version this kaudit's migrations end at. */
  readonly latestVersion: number;
  /** Creates the store `key` with only the first `version` migrations applied (an older kaudit's). */
  createAtVersion(key: string, version: number): Promise<void>;
}

let n = 0;
const freshKey = () => `s${++n}`;

async function withStore(h: StoreHarness, fn: (s: AlertStore) => Promise<void>): Promise<void> {
  const s = await h.open(freshKey());
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

async function listAll(s: AlertStore, f: AlertFilter = {}, limit = 500): Promise<StoredAlert[]> {
  const out: StoredAlert[] = [];
  let cursor: string | undefined;
  do {
    const page = await s.list(f, { limit, ...(cursor === undefined ? {} : { cursor }) });
    out.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor !== undefined);
  return out;
}

const rules = (items: readonly StoredAlert[]) => items.map((a) => a.rule);

export function runStoreSuite(name: string, h: StoreHarness, skip: string | false = false): void {
  describe(`AlertStore conformance: ${name}`, { skip }, () => {
    it('insert() then get() returns every field, the event and its denormalised columns', async () => {
      await withStore(h, async (s) => {
        const a = makeAlert({
          rule: 'Exec Into Pod',
          priority: 'Critical',
          tags: ['k8s', 'mitre_execution'],
          at: 1,
          namespace: 'shop',
          user: 'mallory',
          verb: 'create',
          resource: 'pods',
          subresource: 'exec',
          name: 'web-1',
          cluster: 'prod-eu',
          message: 'exec into web-1',
          event: {
            sourceIPs: ['192.0.2.7', '10.0.0.1'],
            userAgent: 'curl/8',
            stage: 'ResponseStarted',
            responseStatus: { code: 101 },
          },
        });
        const r = await s.insert([a]);
        assert.deepEqual(r, { inserted: 1, duplicates: 0 });
        const [item] = (await s.list({})).items;
        assert.ok(item);
        assert.match(item.id, /^[1-9]\d*$/);
        const got = await s.get(item.id);
        assert.ok(got);
        assert.deepEqual(
          { ...got, id: undefined, event: undefined },
          {
            id: undefined,
            event: undefined,
            time: '2026-11-02T10:00:01.000000000Z',
            timeNs: (BASE_NS + SECOND_NS).toString(),
            rule: 'Exec Into Pod',
            priority: 'Critical',
            source: 'k8s_audit',
            tags: ['k8s', 'mitre_execution'],
            hostname: 'kaudit-test',
            cluster: 'prod-eu',
            output: '2026-11-02T10:00:01.000000000+0000: Critical exec into web-1',
            message: 'exec into web-1',
            outputFields: { 'ka.user.name': 'mallory', 'ka.target.name': null },
            namespace: 'shop',
            user: 'mallory',
            verb: 'create',
            resource: 'pods/exec',
            name: 'web-1',
            auditId: a.event?.auditID,
            stage: 'ResponseStarted',
            sourceIp: '192.0.2.7',
            userAgent: 'curl/8',
            responseCode: 101,
            redacted: false,
            correlation: null,
          },
        );
        assert.deepEqual(got.event, JSON.parse(JSON.stringify(a.event)));
        assert.deepEqual(item, omitEvent(got), 'list() and get() agree');
      });
    });

    it('a correlated alert keeps its correlation through insert(), get(), list() and subscribe()', async () => {
      await withStore(h, async (s) => {
        const seen: StoredAlert[] = [];
        s.subscribe((a) => seen.push(a));
        const auditIds = Array.from({ length: 64 }, (_, i) => `id-${i}-"<b>x</b>"`);
        const correlated = {
          ...makeAlert({ rule: 'Burst of Forbidden Requests', at: 2 }),
          correlation: {
            count: 20,
            windowMs: 60_000,
            group: { 'ka.user.name': 'mallory', cluster: 'prod "eu"' },
            auditIds,
          },
        };
        const summary = {
          ...makeAlert({ rule: 'Configmap Deleted', at: 3 }),
          correlation: { count: 7, windowMs: 600_000, group: {}, auditIds: ['a1', 'a2'] },
          suppressed: 7,
        };
        const plain = makeAlert({ rule: 'Plain', at: 1 });
        assert.deepEqual(await s.insert([correlated, summary, plain]), {
          inserted: 3,
          duplicates: 0,
        });
        const items = (await s.list({})).items;
        assert.deepEqual(
          items.map((a) => [a.rule, a.correlation]),
          [
            ['Configmap Deleted', { ...summary.correlation, suppressed: 7 }],
            ['Burst of Forbidden Requests', correlated.correlation],
            ['Plain', null],
          ],
        );
        const got = await s.get(items[1]?.id ?? '');
        assert.deepEqual(got?.correlation, correlated.correlation);
        await waitFor(() => seen.length === 3);
        assert.deepEqual(
          seen.map((a) => a.correlation?.count ?? null).sort(),
          [20, 7, null].sort(),
          'live subscribers get the correlation too',
        );
      });
    });

    it('a store made by a kaudit before correlation migrates and stores correlations', async () => {
      const key = freshKey();
      await h.createAtVersion(key, h.latestVersion - 1);
      const s = await h.open(key);
      try {
        assert.equal(await s.schemaVersion(), h.latestVersion);
        const a = {
          ...makeAlert({ rule: 'R' }),
          correlation: { count: 3, windowMs: 1000, group: { u: 'x' }, auditIds: ['1'] },
        };
        await s.insert([a, makeAlert({ rule: 'Q', at: 1 })]);
        const items = (await s.list({})).items;
        assert.deepEqual(
          items.map((i) => [i.rule, i.correlation]),
          [
            ['Q', null],
            ['R', a.correlation],
          ],
        );
      } finally {
        await s.close();
      }
    });

    it('insert() of an alert without an event stores null columns and a null event', async () => {
      await withStore(h, async (s) => {
        await s.insert([makeAlert({ event: null }), makeAlert({ event: null })]);
        const items = (await s.list({})).items;
        assert.equal(items.length, 2, 'no auditID: no deduplication');
        const got = await s.get(items[0]?.id ?? '');
        assert.equal(got?.event, null);
        assert.equal(got?.namespace, null);
        assert.equal(got?.auditId, null);
      });
    });

    it('insert() is idempotent on (auditID, stage, rule), within and across batches', async () => {
      await withStore(h, async (s) => {
        const a = makeAlert({ rule: 'R1' });
        const ev = a.event ?? {};
        const sameId = (over: Record<string, unknown>, rule = 'R1') =>
          makeAlert({ rule, event: { ...ev, ...over } });
        assert.deepEqual(await s.insert([a, sameId({})]), { inserted: 1, duplicates: 1 });
        assert.deepEqual(await s.insert([sameId({})]), { inserted: 0, duplicates: 1 });
        const more = await s.insert([sameId({ stage: 'ResponseStarted' }), sameId({}, 'R2')]);
        assert.deepEqual(
          more,
          { inserted: 2, duplicates: 0 },
          'another stage or rule is another alert',
        );
        assert.equal((await listAll(s)).length, 3);
      });
    });

    it('insert() of alerts without events deduplicates on the engine eventId', async () => {
      await withStore(h, async (s) => {
        const bare = (eventId: string, rule = 'R') => ({
          ...makeAlert({ rule, event: null }),
          eventId,
        });
        const r = await s.insert([
          bare('abc/ResponseComplete'),
          bare('abc/ResponseComplete'),
          bare('abc/ResponseStarted'),
          bare('admission/u1'),
          bare('admission/u1', 'R2'),
        ]);
        assert.deepEqual(r, { inserted: 4, duplicates: 1 });
        assert.deepEqual(await s.insert([bare('admission/u1')]), { inserted: 0, duplicates: 1 });
        const stages = (await listAll(s)).map((a) => `${a.auditId}:${a.stage}`).sort();
        assert.deepEqual(stages, [
          'abc:ResponseComplete',
          'abc:ResponseStarted',
          'u1:null',
          'u1:null',
        ]);
      });
    });

    it('insert() strips managedFields and redacts Secret data, and leaves the engine event alone', async () => {
      await withStore(h, async (s) => {
        const secret = {
          kind: 'Secret',
          apiVersion: 'v1',
          metadata: {
            name: 'db',
            managedFields: [{ manager: 'kubectl' }],
            annotations: {
              'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"pw":"c2VjcmV0"}}',
            },
          },
          data: { pw: 'c2VjcmV0' },
          stringData: { token: 'hunter2' },
        };
        const a = makeAlert({
          resource: 'secrets',
          event: { requestObject: secret, responseObject: secret },
        });
        const pod = makeAlert({
          event: {
            requestObject: {
              kind: 'Pod',
              metadata: { name: 'p', managedFields: [{ m: 1 }] },
              data: { x: 'y' },
            },
          },
        });
        const before = JSON.stringify(a.event);
        await s.insert([a, pod]);
        assert.equal(JSON.stringify(a.event), before);
        const [podRow, secretRow] = await listAll(s, {}, 10).then((items) =>
          items.sort(
            (x, y) => (x.resource === 'secrets' ? 1 : 0) - (y.resource === 'secrets' ? 1 : 0),
          ),
        );
        const stored = (await s.get(secretRow?.id ?? ''))?.event as Record<
          string,
          Record<string, unknown>
        >;
        assert.equal(secretRow?.redacted, true);
        for (const body of [stored.requestObject, stored.responseObject]) {
          assert.deepEqual(body?.data, { pw: '<redacted>' });
          assert.deepEqual(body?.stringData, { token: '<redacted>' });
          const meta = body?.metadata as Record<string, unknown>;
          assert.equal('managedFields' in meta, false);
          assert.deepEqual(meta.annotations, {
            'kubectl.kubernetes.io/last-applied-configuration': '<redacted>',
          });
        }
        assert.equal(JSON.stringify(stored).includes('c2VjcmV0'), false);
        assert.equal(JSON.stringify(stored).includes('hunter2'), false);
        const podEvent = (await s.get(podRow?.id ?? ''))?.event as Record<
          string,
          Record<string, unknown>
        >;
        assert.equal(podRow?.redacted, false);
        assert.deepEqual(podEvent.requestObject, {
          kind: 'Pod',
          metadata: { name: 'p' },
          data: { x: 'y' },
        });
      });
    });

    it('insert() redacts a JSON patch and a merge patch of a Secret', async () => {
      await withStore(h, async (s) => {
        const patch = makeAlert({
          resource: 'secrets',
          verb: 'patch',
          event: {
            requestObject: [
              { op: 'replace', path: '/data/pw', value: 'bmV3' },
              { op: 'add', path: '/metadata/labels/a', value: 'keep' },
            ],
          },
        });
        const merge = makeAlert({
          resource: 'secrets',
          verb: 'patch',
          event: { requestObject: { data: { pw: 'bmV3' } } },
        });
        await s.insert([patch, merge]);
        for (const item of await listAll(s)) {
          const ev = (await s.get(item.id))?.event as Record<string, unknown>;
          assert.equal(item.redacted, true);
          assert.equal(JSON.stringify(ev).includes('bmV3'), false, JSON.stringify(ev));
        }
        const p = (await listAll(s)).find((x) => x.auditId === patch.event?.auditID);
        const ev = (await s.get(p?.id ?? ''))?.event as { requestObject: { value: string }[] };
        assert.equal(ev.requestObject[1]?.value, 'keep');
      });
    });

    it('list() is newest first, ties in time broken by id, descending', async () => {
      await withStore(h, async (s) => {
        await s.insert([
          makeAlert({ rule: 'b', at: 5 }),
          makeAlert({ rule: 'a', at: 9 }),
          makeAlert({ rule: 'c', at: 5 }),
        ]);
        const items = (await s.list({})).items;
        assert.deepEqual(rules(items), ['a', 'c', 'b']);
        assert.ok(BigInt(items[1]?.id ?? 0) > BigInt(items[2]?.id ?? 0));
      });
    });

    it('list() pages with a cursor: every alert once, also while alerts are inserted between pages', async () => {
      await withStore(h, async (s) => {
        const original = Array.from({ length: 23 }, (_, i) =>
          makeAlert({ rule: `r${i}`, at: i % 7 }),
        );
        await s.insert(original);
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await s.list({}, { limit: 5, ...(cursor === undefined ? {} : { cursor }) });
          assert.ok(page.items.length <= 5);
          seen.push(...rules(page.items));
          // Newer, equal-time and older alerts arrive while the user pages.
          await s.insert([
            makeAlert({ rule: `new${pages}`, at: 100 }),
            makeAlert({ rule: `eq${pages}`, at: 3 }),
          ]);
          cursor = page.next ?? undefined;
          pages++;
        } while (cursor !== undefined);
        const originals = seen.filter((r) => /^r\d+$/.test(r));
        assert.equal(new Set(seen).size, seen.length, 'no alert twice');
        assert.deepEqual(
          [...originals].sort(),
          original.map((a) => a.rule).sort(),
          'every original alert',
        );
        assert.ok(pages >= 5);
      });
    });

    it('list() rejects a cursor it did not make and a limit out of range', async () => {
      await withStore(h, async (s) => {
        await assert.rejects(s.list({}, { cursor: 'bm9wZQ' }), {
          name: 'StoreError',
          code: 'bad_cursor',
        });
        await assert.rejects(s.list({}, { limit: 501 }), { code: 'bad_filter' });
        await assert.rejects(s.list({}, { limit: 0 }), { code: 'bad_filter' });
        await assert.rejects(s.list({ from: 'yesterday' }), { code: 'bad_filter' });
      });
    });

    it('list() filters by each key, and by several together', async () => {
      await withStore(h, async (s) => {
        await s.insert([
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
            tags: ['k8s'],
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
            user: 'Dave_50%',
            message: 'Ünïcode MiXeD user=Dave_50%',
          }),
        ]);
        const sel = async (f: AlertFilter) => rules(await listAll(s, f)).sort();
        assert.deepEqual(await sel({}), ['A', 'B', 'C', 'D']);
        assert.deepEqual(await sel({ from: '2026-11-02T10:00:20Z' }), ['B', 'C', 'D']);
        assert.deepEqual(await sel({ to: '2026-11-02T10:00:30Z' }), ['A', 'B']);
        assert.deepEqual(
          await sel({
            from: (BASE_NS + 20n * SECOND_NS).toString(),
            to: '2026-11-02T11:00:30.000000001+01:00',
          }),
          ['B', 'C'],
        );
        assert.deepEqual(await sel({ minPriority: 'Error' }), ['A', 'D']);
        assert.deepEqual(await sel({ minPriority: 'Warning' }), ['A', 'B', 'D']);
        assert.deepEqual(await sel({ rule: ['A', 'C'] }), ['A', 'C']);
        assert.deepEqual(await sel({ source: 'k8s_admission' }), ['C']);
        assert.deepEqual(await sel({ tag: 'T1' }), ['A']);
        assert.deepEqual(await sel({ tag: 'T' }), [], 'a tag matches whole');
        assert.deepEqual(await sel({ cluster: 'us' }), ['B']);
        assert.deepEqual(await sel({ namespace: 'shop' }), ['A', 'C']);
        assert.deepEqual(await sel({ user: 'bob' }), ['B']);
        assert.deepEqual(await sel({ verb: 'delete' }), ['B']);
        assert.deepEqual(await sel({ resource: 'secrets' }), ['C']);
        assert.deepEqual(await sel({ resource: 'pods/exec' }), ['D']);
        assert.deepEqual(await sel({ text: 'CAROL' }), ['C'], 'text is case-insensitive');
        assert.deepEqual(await sel({ text: 'mixed' }), ['D'], 'text searches the output');
        assert.deepEqual(await sel({ text: 'ba' }), ['B'], 'text searches the namespace column');
        assert.deepEqual(await sel({ text: '_50%' }), ['D'], 'LIKE wildcards are literal');
        assert.deepEqual(await sel({ text: 'v__5' }), [], 'an underscore is not a wildcard');
        assert.deepEqual(await sel({ text: 'k%s' }), [], 'a percent sign is not a wildcard');
        assert.deepEqual(await sel({ namespace: 'shop', minPriority: 'Warning' }), ['A']);
        assert.deepEqual(
          await sel({ rule: [] }),
          ['A', 'B', 'C', 'D'],
          'an empty rule list selects all',
        );
      });
    });

    it('createAlertMatcher() (live streams) selects what list() selects, for every filter key', async () => {
      await withStore(h, async (s) => {
        const pick = <T>(xs: readonly T[], i: number) => xs[i % xs.length] as T;
        const prios = ['Critical', 'Warning', 'Notice', 'Error'] as const;
        await s.insert(
          Array.from({ length: 40 }, (_, i) =>
            makeAlert({
              rule: pick(['A', 'B', 'C'], i),
              priority: pick(prios, i),
              at: i * 7,
              namespace: pick(['shop', 'bank', 'Shop'], i),
              user: pick(['alice', 'bob', 'ÄRNE'], i),
              verb: pick(['get', 'create', 'delete'], i),
              resource: pick(['pods', 'secrets'], i),
              tags: pick([['k8s'], ['k8s', 'T1']], i),
              source: pick(['k8s_audit', 'k8s_audit', 'k8s_admission'], i),
              ...(i % 4 === 0 ? { cluster: pick(['eu', 'us'], i) } : {}),
              ...(i % 9 === 0 ? { event: null } : {}),
            }),
          ),
        );
        const all = await listAll(s);
        const filters: AlertFilter[] = [
          {},
          { from: '2026-11-02T10:01:00Z' },
          { to: (BASE_NS + 100n * SECOND_NS).toString() },
          { minPriority: 'Error' },
          { rule: ['A', 'C'] },
          { source: 'k8s_admission' },
          { tag: 'T1' },
          { cluster: 'eu' },
          { namespace: 'shop' },
          { user: 'bob' },
          { verb: 'delete' },
          { resource: 'secrets' },
          { text: 'SHOP' },
          { text: 'create' },
          { text: 'eu' },
          { namespace: 'bank', minPriority: 'Warning', tag: 'T1' },
        ];
        for (const f of filters) {
          const match = createAlertMatcher(f);
          assert.deepEqual(
            all.filter(match).map((a) => a.id),
            (await listAll(s, f)).map((a) => a.id),
            JSON.stringify(f),
          );
        }
      });
    });

    it('counts() totals per key, largest first, and per aligned time bucket', async () => {
      await withStore(h, async (s) => {
        await s.insert([
          makeAlert({ priority: 'Critical', at: 0 }),
          makeAlert({ priority: 'Critical', at: 299 }),
          makeAlert({ priority: 'Critical', at: 300 }),
          makeAlert({ priority: 'Warning', at: 301 }),
          makeAlert({ priority: 'Notice', at: 900 }),
        ]);
        const r = await s.counts(
          { from: '2026-11-02T10:00:00Z', to: '2026-11-02T10:20:00Z' },
          { by: 'priority', bucketMs: 300_000 },
        );
        assert.equal(r.by, 'priority');
        assert.equal(r.bucketMs, 300_000);
        assert.equal(r.from, '2026-11-02T10:00:00.000000000Z');
        assert.equal(r.to, '2026-11-02T10:20:00.000000000Z');
        assert.deepEqual(r.totals, [
          { key: 'Critical', count: 3 },
          { key: 'Warning', count: 1 },
          { key: 'Notice', count: 1 },
        ]);
        assert.deepEqual(r.buckets, [
          { t: '2026-11-02T10:00:00.000000000Z', counts: { Critical: 2 } },
          { t: '2026-11-02T10:05:00.000000000Z', counts: { Critical: 1, Warning: 1 } },
          { t: '2026-11-02T10:15:00.000000000Z', counts: { Notice: 1 } },
        ]);
        const top = await s.counts(
          { minPriority: 'Warning' },
          { by: 'priority', limit: 1, bucketMs: 3_600_000 },
        );
        assert.deepEqual(top.totals, [{ key: 'Critical', count: 3 }]);
        assert.deepEqual(top.buckets, [
          { t: '2026-11-02T10:00:00.000000000Z', counts: { Critical: 3 } },
        ]);
        assert.equal(
          top.from,
          '2026-11-02T10:00:00.000000000Z',
          'default range: the matching alerts',
        );
        assert.equal(top.to, '2026-11-02T10:05:01.000000001Z', 'just after the last');
      });
    });

    it('counts() by rule, user and namespace; a missing value counts under ""', async () => {
      await withStore(h, async (s) => {
        await s.insert([
          makeAlert({ rule: 'X', namespace: 'a', user: 'u1', at: 1 }),
          makeAlert({ rule: 'X', namespace: 'b', user: 'u1', at: 2 }),
          makeAlert({ rule: 'Y', event: null, at: 3 }),
        ]);
        const by = async (k: 'rule' | 'user' | 'namespace') =>
          (await s.counts({}, { by: k })).totals.map((t) => `${t.key}=${t.count}`);
        assert.deepEqual(await by('rule'), ['X=2', 'Y=1']);
        assert.deepEqual(await by('user'), ['u1=2', '=1']);
        assert.deepEqual(await by('namespace'), ['a=1', 'b=1', '=1'], 'ties by key, none last');
        const ns = await s.counts({}, { by: 'namespace', bucketMs: 1000 });
        assert.deepEqual(
          ns.buckets.map((b) => b.counts),
          [{ a: 1 }, { b: 1 }, { '': 1 }],
        );
        await assert.rejects(s.counts({}, { by: 'verb' as 'rule' }), { code: 'bad_filter' });
        await assert.rejects(
          s.counts(
            { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' },
            { by: 'rule', bucketMs: 1000 },
          ),
          { code: 'bad_filter' },
        );
      });
    });

    it('export() streams every matching alert across pages, newest first', async () => {
      await withStore(h, async (s) => {
        await s.insert(
          Array.from({ length: 1203 }, (_, i) =>
            makeAlert({ rule: i % 3 === 0 ? 'keep' : 'drop', at: i }),
          ),
        );
        const got: StoredAlert[] = [];
        for await (const a of s.export({ rule: ['keep'] })) got.push(a);
        assert.equal(got.length, 401);
        assert.ok(
          got.every((a, i) => i === 0 || BigInt(a.timeNs) < BigInt(got[i - 1]?.timeNs ?? 0)),
        );
      });
    });

    it('delete() removes what a filter selects and returns the count', async () => {
      await withStore(h, async (s) => {
        await s.insert([
          makeAlert({ namespace: 'a' }),
          makeAlert({ namespace: 'b' }),
          makeAlert({ namespace: 'a' }),
        ]);
        assert.equal(await s.delete({ namespace: 'a' }), 2);
        assert.deepEqual(
          (await listAll(s)).map((a) => a.namespace),
          ['b'],
        );
        const id = (await listAll(s))[0]?.id ?? '';
        assert.equal(await s.delete({}), 1);
        assert.equal(await s.get(id), undefined);
      });
    });

    it('prune() deletes by age and by row count, in batches, oldest first', async () => {
      await withStore(h, async (s) => {
        await s.insert(Array.from({ length: 50 }, (_, i) => makeAlert({ rule: `r${i}`, at: i })));
        const nowMs = Number((BASE_NS + 50n * SECOND_NS) / 1_000_000n);
        assert.equal(await s.prune({ maxAgeMs: 40_000, nowMs, batchSize: 3 }), 10);
        assert.equal((await listAll(s)).at(-1)?.rule, 'r10');
        assert.equal(await s.prune({ maxRows: 25, batchSize: 4 }), 15);
        const left = await listAll(s);
        assert.equal(left.length, 25);
        assert.equal(left.at(-1)?.rule, 'r25');
        assert.equal(await s.prune({ maxRows: 25 }), 0);
        assert.equal(await s.prune({}), 0);
      });
    });

    it('prune() by size keeps about the newest rows that fit', async () => {
      await withStore(h, async (s) => {
        await s.insert(
          Array.from({ length: 400 }, (_, i) => makeAlert({ at: i, message: 'x'.repeat(2000) })),
        );
        assert.equal(await s.prune({ maxBytes: 1e12 }), 0);
        const deleted = await s.prune({ maxBytes: 100_000 });
        const left = await listAll(s);
        assert.equal(left.length, 400 - deleted);
        assert.ok(left.length > 0 && left.length < 100, `kept ${left.length}`);
        assert.equal(left[0]?.timeNs, (BASE_NS + 399n * SECOND_NS).toString(), 'the newest stay');
      });
    });

    it('subscribe() sees new alerts once (never duplicates) until unsubscribed', async () => {
      await withStore(h, async (s) => {
        const seen: StoredAlert[] = [];
        const stop = s.subscribe((a) => seen.push(a));
        const a = makeAlert({ rule: 'live' });
        await s.insert([a, makeAlert({ rule: 'live2' })]);
        await s.insert([a]);
        await waitFor(() => seen.length >= 2);
        const stored = (await s.list({})).items;
        assert.deepEqual(
          [...seen].sort((x, y) => x.rule.localeCompare(y.rule)),
          [...stored].sort((x, y) => x.rule.localeCompare(y.rule)),
        );
        stop();
        await s.insert([makeAlert({ rule: 'after' })]);
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(seen.length, 2);
      });
    });

    it('a thrown listener error does not fail insert() or starve other listeners', async () => {
      await withStore(h, async (s) => {
        const seen: string[] = [];
        s.subscribe(() => {
          throw new Error('bad listener');
        });
        s.subscribe((a) => seen.push(a.rule));
        assert.deepEqual(await s.insert([makeAlert({ rule: 'x' })]), {
          inserted: 1,
          duplicates: 0,
        });
        await waitFor(() => seen.length === 1);
      });
    });

    it('reopening keeps the data and the schema version; a newer schema is refused', async () => {
      const key = freshKey();
      const s1 = await h.open(key);
      await s1.insert([makeAlert({ rule: 'kept' })]);
      assert.equal(await s1.schemaVersion(), h.latestVersion);
      await s1.close();
      await assert.rejects(s1.list({}), { code: 'closed' });
      const s2 = await h.open(key);
      assert.deepEqual(rules((await s2.list({})).items), ['kept']);
      await s2.close();
      await h.setSchemaVersion(key, 99);
      await assert.rejects(h.open(key), { name: 'StoreError', code: 'schema_too_new' });
    });

    it('long multi-byte names are stored cut to whole characters within the index bound', async () => {
      // An attacker picks these: three and four bytes a character, far past any limit.
      // PostgreSQL refuses a B-tree entry over 2704 bytes, and the dedup and time indexes
      // hold three such values each.
      const cjk = '界'.repeat(5000);
      const emoji = '😀'.repeat(5000);
      await withStore(h, async (s) => {
        const a = makeAlert({
          rule: cjk,
          namespace: cjk,
          user: emoji,
          name: cjk,
          event: { auditID: cjk, stage: emoji },
        });
        assert.deepEqual(await s.insert([a]), { inserted: 1, duplicates: 0 });
        assert.deepEqual(await s.insert([a]), { inserted: 0, duplicates: 1 });
        const [got] = (await s.list({ namespace: cjk.slice(0, INDEXED_MAX_BYTES / 3) })).items;
        assert.ok(got !== undefined);
        assert.equal(got.namespace, cjk.slice(0, INDEXED_MAX_BYTES / 3));
        assert.equal(got.rule, got.namespace);
        assert.equal(got.user, emoji.slice(0, (INDEXED_MAX_BYTES / 4) * 2));
        assert.equal(got.stage, got.user);
        assert.equal(got.auditId, got.namespace);
      });
    });

    it('get() of an unknown or malformed id is undefined', async () => {
      await withStore(h, async (s) => {
        for (const id of ['1', '0', '-1', 'abc', '99999999999999999999', '1 OR 1=1']) {
          assert.equal(await s.get(id), undefined, id);
        }
      });
    });

    it('stores hostile values: very long, quotes, NUL-free control characters, markup', async () => {
      await withStore(h, async (s) => {
        const long = 'n'.repeat(5000);
        const nasty = `<script>alert(1)</script>'; DROP TABLE alerts;--\u2028"`;
        await s.insert([makeAlert({ namespace: long, user: nasty, name: long, message: nasty })]);
        const [a] = (await s.list({ user: nasty })).items;
        assert.equal(a?.user, nasty);
        assert.equal(a?.namespace, 'n'.repeat(512), 'indexed columns are cut to 512 characters');
        assert.equal(a?.message, nasty);
        const ev = (await s.get(a?.id ?? ''))?.event as { objectRef: { namespace: string } };
        assert.equal(ev.objectRef.namespace, long, 'the event keeps the whole value');
      });
    });
  });
}

function omitEvent(a: StoredAlert & { event?: unknown }): StoredAlert {
  const { event: _e, ...rest } = a;
  return rest;
}

export async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
