import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { createPostgresStore } from '../../src/store/index.ts';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres-schema.ts';
import { withConnectionOptions } from '../../src/store/postgres-store.ts';
import { freshSchema, POSTGRES_SKIP, postgresUrl } from '../helpers/postgres.ts';
import { makeAlert } from '../helpers/store-alerts.ts';
import { runStoreSuite, waitFor } from './common.case.ts';

const schemas = new Map<string, string>();
const schemaOf = (key: string): string => {
  let s = schemas.get(key);
  if (s === undefined) schemas.set(key, (s = freshSchema()));
  return s;
};

runStoreSuite(
  'PostgreSQL',
  {
    latestVersion: POSTGRES_MIGRATIONS.length,
    open: async (key) => createPostgresStore({ url: await postgresUrl(), schema: schemaOf(key) }),
    async createAtVersion(key, version) {
      const c = new pg.Client({ connectionString: await postgresUrl() });
      await c.connect();
      try {
        const schema = schemaOf(key);
        await c.query(`CREATE SCHEMA ${schema}`);
        await c.query(`SET search_path = ${schema}`);
        await c.query('CREATE TABLE schema_version (version INTEGER NOT NULL)');
        for (let v = 1; v <= version; v++) {
          await c.query(POSTGRES_MIGRATIONS[v - 1] as string);
          await c.query('INSERT INTO schema_version (version) VALUES ($1)', [v]);
        }
      } finally {
        await c.end();
      }
    },
    async setSchemaVersion(key, version) {
      const c = new pg.Client({ connectionString: await postgresUrl() });
      await c.connect();
      await c.query(`INSERT INTO ${schemaOf(key)}.schema_version (version) VALUES ($1)`, [version]);
      await c.end();
    },
  },
  POSTGRES_SKIP,
);

describe('PostgreSQL store across replicas', { skip: POSTGRES_SKIP }, () => {
  it('subscribe() on one replica sees the alerts another replica inserts (LISTEN/NOTIFY)', async () => {
    const url = await postgresUrl();
    const schema = freshSchema();
    const a = await createPostgresStore({ url, schema });
    const b = await createPostgresStore({ url, schema });
    const other = await createPostgresStore({ url, schema: freshSchema() });
    try {
      const seen: string[] = [];
      a.subscribe((x) => seen.push(x.rule));
      await new Promise((r) => setTimeout(r, 300)); // a's LISTEN connection starts
      await b.insert([makeAlert({ rule: 'from-b' })]);
      await other.insert([makeAlert({ rule: 'other-schema' })]);
      await b.insert(Array.from({ length: 3000 }, (_, i) => makeAlert({ rule: `bulk${i}` })));
      await waitFor(() => seen.length >= 3001);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(seen[0], 'from-b');
      assert.equal(seen.length, 3001, 'every alert once, none of another schema');
      assert.equal(seen.includes('other-schema'), false);
    } finally {
      await Promise.all([a.close(), b.close(), other.close()]);
    }
  });

  it('refuses a schema name that is not a plain SQL name', async () => {
    await assert.rejects(
      createPostgresStore({ url: await postgresUrl(), schema: 'x; DROP TABLE y' }),
      { code: 'bad_spec' },
    );
  });
});

describe('PostgreSQL connection options', () => {
  it("adds the store's settings to those the URL gives, which pg would otherwise prefer", () => {
    const url = withConnectionOptions(
      'postgres://u:p@db.example:5432/kaudit?options=-c%20search_path%3Dteam&sslmode=require',
      '-c jit=off',
    );
    const parsed = new URL(url);
    assert.equal(parsed.searchParams.get('options'), '-c search_path=team -c jit=off');
    assert.equal(parsed.searchParams.get('sslmode'), 'require');
    assert.equal(parsed.password, 'p');
    assert.equal(
      new URL(
        withConnectionOptions('postgres:///kaudit?host=/run/postgresql', '-c jit=off'),
      ).searchParams.get('options'),
      '-c jit=off',
    );
  });
});
