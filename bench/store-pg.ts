// PostgreSQL helpers of the store benchmark (bench/store.ts): the plans of the SQL a store
// sends, and an interleaved A/B of the count queries against schema 1's indexes.
import pg from 'pg';

/** The SQL a store sent through its pg pool while `run` ran, with the parameters. */
export async function recordQueries(
  run: () => Promise<unknown>,
): Promise<{ sql: string; params: unknown[] }[]> {
  const recorded: { sql: string; params: unknown[] }[] = [];
  const original = pg.Pool.prototype.query;
  pg.Pool.prototype.query = function (this: pg.Pool, ...args: unknown[]) {
    if (typeof args[0] === 'string') {
      recorded.push({ sql: args[0], params: (args[1] as unknown[] | undefined) ?? [] });
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pg.Pool.prototype.query;
  try {
    await run();
  } finally {
    pg.Pool.prototype.query = original;
  }
  return recorded;
}

/** The plan of each query a store sent while running a case, as EXPLAIN prints it. */
export type Explainer = (run: () => Promise<unknown>) => Promise<string[]>;

/** Runs a case once, recording its SQL, then EXPLAINs each statement (not run again). */
export function explainPostgres(url: string): Explainer {
  return async (run) => {
    const recorded = await recordQueries(run);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query('SET jit = off');
      const plans: string[] = [];
      for (const q of recorded) {
        const r = await c.query(`EXPLAIN ${q.sql}`, q.params);
        plans.push(r.rows.map((x: Record<string, string>) => x['QUERY PLAN']).join('\n'));
      }
      return plans;
    } finally {
      await c.end();
    }
  };
}

/**
 * Times each case's SQL (as the store sends it) under schema 2 (the covering time index,
 * JIT off) and schema 1 (indexes (time_ns, id) and (priority, time_ns, id), JIT on, as
 * PostgreSQL ships), alternately, `runs` times each. Both index sets exist while it runs;
 * each variant drops the other's indexes in a transaction that is rolled back, so the
 * planner sees one schema at a time on the same data, the same cache and the same load.
 */
export async function abAgainstV1(
  url: string,
  cases: readonly { name: string; run: () => Promise<unknown> }[],
  runs: number,
): Promise<Record<string, { v2Ms: number[]; v1Ms: number[] }>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const out: Record<string, { v2Ms: number[]; v1Ms: number[] }> = {};
  try {
    const t0 = performance.now();
    await c.query('CREATE INDEX IF NOT EXISTS alerts_time ON alerts (time_ns, id)');
    await c.query(
      'CREATE INDEX IF NOT EXISTS alerts_priority_time ON alerts (priority, time_ns, id)',
    );
    console.error(`  postgres: schema 1 indexes built in ${(performance.now() - t0) / 1000} s`);
    const variants = {
      v2: ['DROP INDEX alerts_time', 'DROP INDEX alerts_priority_time', 'SET LOCAL jit = off'],
      v1: ['DROP INDEX alerts_time_cover', 'SET LOCAL jit = on'],
    };
    for (const k of cases) {
      const sql = await recordQueries(k.run);
      const times = { v2Ms: [] as number[], v1Ms: [] as number[] };
      for (let i = 0; i < runs; i++) {
        // Alternate which goes first, so neither always finds the cache warmed by the other.
        const order = i % 2 === 0 ? (['v2', 'v1'] as const) : (['v1', 'v2'] as const);
        for (const v of order) {
          await c.query('BEGIN');
          for (const stmt of variants[v]) await c.query(stmt);
          const t = performance.now();
          for (const q of sql) await c.query(q.sql, q.params);
          times[`${v}Ms`].push(Math.round((performance.now() - t) * 100) / 100);
          await c.query('ROLLBACK');
        }
      }
      out[k.name] = times;
      console.error(
        `  postgres A/B: ${k.name}: v2 ${times.v2Ms.join(' ')} | v1 ${times.v1Ms.join(' ')}`,
      );
    }
  } finally {
    await c.end();
  }
  return out;
}
