// The plans PostgreSQL picks for the store's own list, count and search queries, on a
// table large enough (100,000 alerts over 23 days) for the planner to prefer an index to
// reading the table: counts and a filtered page read the covering time index alone, a
// rare word goes through the trigram index, and JIT is off on the store's connections.
// The queries are the store's (recorded from its pool), explained with their parameters.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { type AlertStore, createPostgresStore } from '../../src/store/index.ts';
import { freshSchema, POSTGRES_SKIP, postgresUrl } from '../helpers/postgres.ts';

const ROWS = 100_000;
const START_NS = 1_790_000_000_000_000_000n;
const STEP_NS = 20_000_000_000n; // 20 s apart
const END_NS = START_NS + BigInt(ROWS + 1) * STEP_NS;
const DAY_NS = 86_400_000_000_000n;

interface Recorded {
  readonly sql: string;
  readonly params: unknown[];
}

/** Plan node types and index names of a JSON plan, flattened. */
function planNodes(plan: unknown): string[] {
  const out: string[] = [];
  const walk = (n: Record<string, unknown>): void => {
    out.push(`${n['Node Type']}${n['Index Name'] ? ` on ${n['Index Name']}` : ''}`);
    for (const child of (n.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk(plan as Record<string, unknown>);
  return out;
}

describe('PostgreSQL store query plans', { skip: POSTGRES_SKIP, timeout: 120_000 }, () => {
  const schema = freshSchema();
  let store: AlertStore;
  let client: pg.Client;
  const recorded: Recorded[] = [];
  const original = pg.Pool.prototype.query;
  let storePool: pg.Pool | undefined;

  before(async () => {
    const url = await postgresUrl();
    store = await createPostgresStore({ url, schema });
    // synchronous_commit on: VACUUM marks a page all-visible (what an index-only scan needs)
    // only once the inserting commit is flushed; the test cluster commits asynchronously.
    client = new pg.Client({
      connectionString: url,
      options: `-c search_path=${schema} -c synchronous_commit=on`,
    });
    await client.connect();
    await client.query(
      `INSERT INTO alerts (time_ns, priority, rule, source, tags, hostname, output, message,
         output_fields, namespace, user_name, verb, resource, name, audit_id)
       SELECT $1::bigint + g * $2::bigint,
         CASE WHEN g % 100 = 0 THEN 2 ELSE 4 + g % 4 END,
         'Rule ' || (g % 60), 'k8s_audit', ARRAY['k8s'], 'host',
         'Warning create pods/exec ' || md5(g::text) ||
           CASE WHEN g % 25000 = 7 THEN ' needle-77' ELSE '' END,
         'm', '{}', 'ns-' || (g % 200), 'user-' || (g % 500), 'create', 'pods', 'p' || g, 'a' || g
       FROM generate_series(1, ${ROWS}) AS g`,
      [String(START_NS), String(STEP_NS)],
    );
    await client.query('VACUUM ANALYZE alerts');
    // Record what the store sends through its pool from here on.
    pg.Pool.prototype.query = function (this: pg.Pool, ...args: unknown[]) {
      storePool = this;
      if (typeof args[0] === 'string') {
        recorded.push({ sql: args[0], params: (args[1] as unknown[] | undefined) ?? [] });
      }
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof pg.Pool.prototype.query;
  });

  after(async () => {
    pg.Pool.prototype.query = original;
    await store?.close();
    await client?.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => {});
    await client?.end();
  });

  /** Runs `fn` on the store and returns the plans of the queries it sent. */
  async function plansOf(fn: () => Promise<unknown>): Promise<string[][]> {
    recorded.length = 0;
    await fn();
    const plans: string[][] = [];
    for (const q of recorded) {
      const r = await client.query<{ 'QUERY PLAN': [{ Plan: unknown }] }>(
        `EXPLAIN (FORMAT JSON) ${q.sql}`,
        q.params,
      );
      plans.push(planNodes(r.rows[0]?.['QUERY PLAN'][0].Plan));
    }
    assert.ok(plans.length > 0, 'the store sent no query');
    return plans;
  }

  const last24h = { from: String(END_NS - DAY_NS), to: String(END_NS) };

  it('counts over a day read the covering time index alone, never the table', async () => {
    for (const by of ['priority', 'rule', 'user', 'namespace'] as const) {
      const plans = await plansOf(() =>
        store.counts({ ...last24h, minPriority: 'Warning' }, { by, bucketMs: 300_000 }),
      );
      for (const p of plans) {
        assert.ok(p.includes('Index Only Scan on alerts_time_cover'), `${by}: ${p.join(' > ')}`);
        assert.ok(!p.some((n) => n.startsWith('Seq Scan')), `${by}: ${p.join(' > ')}`);
      }
    }
  });

  it('a page filtered on a covered column finds its ids in the time index alone', async () => {
    const plans = await plansOf(() => store.list({ minPriority: 'Critical' }, { limit: 50 }));
    const p = plans[0] ?? [];
    assert.ok(p.includes('Index Only Scan on alerts_time_cover'), p.join(' > '));
    assert.ok(!p.some((n) => n.startsWith('Seq Scan')), p.join(' > '));
    const page = await store.list({ minPriority: 'Critical' }, { limit: 50 });
    assert.equal(page.items.length, 50);
    assert.ok(page.items.every((a) => a.priority === 'Critical'));
  });

  it('a rare word is looked up in the trigram index, not read row by row', async () => {
    const plans = await plansOf(() => store.list({ text: 'NEEDLE-77' }, { limit: 50 }));
    const p = plans[0] ?? [];
    assert.ok(p.includes('Bitmap Index Scan on alerts_search'), p.join(' > '));
    const page = await store.list({ text: 'NEEDLE-77' }, { limit: 50 });
    assert.equal(page.items.length, ROWS / 25_000);
  });

  it("the store's connections run with JIT off", async () => {
    await store.list({}, { limit: 1 });
    assert.ok(storePool !== undefined, 'the store queried through no pool');
    // The pool's own query (not the recording one), on one of the store's connections.
    const r = await (original as (sql: string) => Promise<pg.QueryResult<{ jit: string }>>).call(
      storePool,
      'SHOW jit',
    );
    assert.deepEqual(
      r.rows.map((x) => x.jit),
      ['off'],
    );
  });
});
