import pg from 'pg';
import { createPostgresStore } from '../../src/store/index.ts';
import { freshSchema, POSTGRES_SKIP, postgresUrl } from '../helpers/postgres.ts';
import { runStoreSuite } from './common.case.ts';

const schemas = new Map<string, string>();
const schemaOf = (key: string): string => {
  let s = schemas.get(key);
  if (s === undefined) schemas.set(key, (s = freshSchema()));
  return s;
};

runStoreSuite(
  'PostgreSQL',
  {
    open: async (key) => createPostgresStore({ url: await postgresUrl(), schema: schemaOf(key) }),
    async setSchemaVersion(key, version) {
      const c = new pg.Client({ connectionString: await postgresUrl() });
      await c.connect();
      await c.query(`INSERT INTO ${schemaOf(key)}.schema_version (version) VALUES ($1)`, [version]);
      await c.end();
    },
  },
  POSTGRES_SKIP,
);
