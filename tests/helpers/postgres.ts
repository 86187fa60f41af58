import { randomBytes } from 'node:crypto';
import { startPostgres, stopPostgres } from '../../scripts/postgres.mjs';

/**
 * The PostgreSQL the tests use. scripts/run-tests.mjs starts one per test run and passes
 * its URL in KAUDIT_TEST_POSTGRES_URL (or the reason it could not in
 * KAUDIT_TEST_POSTGRES_ERROR); a test file run on its own starts its own. When PostgreSQL
 * cannot be started the tests that need it fail: CI installs it. KAUDIT_TEST_NO_POSTGRES=1
 * is the explicit opt-out for a developer without it.
 */
export const POSTGRES_SKIP =
  process.env.KAUDIT_TEST_NO_POSTGRES === '1'
    ? 'KAUDIT_TEST_NO_POSTGRES=1: PostgreSQL tests skipped on request'
    : false;

let url: Promise<string> | undefined;

export function postgresUrl(): Promise<string> {
  url ??= (async () => {
    const given = process.env.KAUDIT_TEST_POSTGRES_URL;
    if (given !== undefined && given !== '') return given;
    const why = process.env.KAUDIT_TEST_POSTGRES_ERROR;
    if (why !== undefined) {
      throw new Error(
        `PostgreSQL could not be started for the tests: ${why} (KAUDIT_TEST_NO_POSTGRES=1 skips them)`,
      );
    }
    try {
      const pg = await startPostgres();
      process.on('exit', () => stopPostgres(pg.dir));
      return pg.url;
    } catch (err) {
      throw new Error(
        `PostgreSQL could not be started for the tests: ${(err as Error).message} (KAUDIT_TEST_NO_POSTGRES=1 skips them)`,
      );
    }
  })();
  return url;
}

/** A fresh schema name, so that every test gets empty tables in the shared database. */
export function freshSchema(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}
