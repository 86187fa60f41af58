import pg from 'pg';
import type { StateChanges } from '../../engine/index.ts';

/**
 * Correlation state per partition, in PostgreSQL (the deployment's shared store): one row
 * per state key, and the stream sequence of the last partition message applied. A worker
 * applies a message under the partition's row lock and moves the sequence in the same
 * transaction as the state, so a message is applied once whatever worker dies when: a
 * redelivered message at or below the stored sequence is only acknowledged.
 */
export interface PartitionStateStore {
  /** Opens the partition's transaction, locking it; `position` is its last applied sequence. */
  begin(partition: number): Promise<PartitionTx>;
  close(): Promise<void>;
}

export interface PartitionTx {
  readonly position: number;
  /** Every state row of the partition (to rebuild a correlator that is not current). */
  load(): Promise<[string, string][]>;
  /** Writes the changes and the new position, and commits. */
  commit(position: number, changes: StateChanges): Promise<void>;
  /** Commits without changes (a message already applied). */
  release(): Promise<void>;
  rollback(): Promise<void>;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS kaudit_corr_position (
  partition INTEGER PRIMARY KEY,
  seq BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS kaudit_corr_state (
  partition INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (partition, key)
);`;

/** Connects to `url` and creates the tables when missing. */
export async function openPartitionState(url: string): Promise<PartitionStateStore> {
  // The URL's own `options` (a search_path) apply, as they do for the alert store.
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => {});
  // Two workers creating the tables at once: serialise on an advisory lock.
  const setup = await pool.connect();
  try {
    await setup.query('BEGIN');
    await setup.query('SELECT pg_advisory_xact_lock(7037453452)');
    await setup.query(SCHEMA);
    await setup.query('COMMIT');
  } catch (err) {
    await setup.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    setup.release();
  }
  return {
    async begin(partition) {
      const client = await pool.connect();
      let done = false;
      const finish = (err?: Error): void => {
        if (done) return;
        done = true;
        client.release(err);
      };
      try {
        await client.query('BEGIN');
        await client.query(
          'INSERT INTO kaudit_corr_position (partition, seq) VALUES ($1, 0) ON CONFLICT DO NOTHING',
          [partition],
        );
        const r = await client.query<{ seq: string }>(
          'SELECT seq FROM kaudit_corr_position WHERE partition = $1 FOR UPDATE',
          [partition],
        );
        const position = Number(r.rows[0]?.seq ?? 0);
        return {
          position,
          async load() {
            const rows = await client.query<{ key: string; value: string }>(
              'SELECT key, value FROM kaudit_corr_state WHERE partition = $1',
              [partition],
            );
            return rows.rows.map((x) => [x.key, x.value]);
          },
          async commit(seq, changes) {
            try {
              if (changes.replace) {
                await client.query('DELETE FROM kaudit_corr_state WHERE partition = $1', [
                  partition,
                ]);
              } else if (changes.deletes.length > 0) {
                await client.query(
                  'DELETE FROM kaudit_corr_state WHERE partition = $1 AND key = ANY($2::text[])',
                  [partition, changes.deletes],
                );
              }
              if (changes.upserts.length > 0) {
                await client.query(
                  `INSERT INTO kaudit_corr_state (partition, key, value)
                   SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS u(k, v)
                   ON CONFLICT (partition, key) DO UPDATE SET value = excluded.value`,
                  [partition, changes.upserts.map((u) => u[0]), changes.upserts.map((u) => u[1])],
                );
              }
              await client.query('UPDATE kaudit_corr_position SET seq = $2 WHERE partition = $1', [
                partition,
                seq,
              ]);
              await client.query('COMMIT');
              finish();
            } catch (err) {
              await client.query('ROLLBACK').catch(() => {});
              finish(err as Error);
              throw err;
            }
          },
          async release() {
            await client.query('COMMIT').catch(() => {});
            finish();
          },
          async rollback() {
            await client.query('ROLLBACK').catch(() => {});
            finish();
          },
        };
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        finish(err as Error);
        throw err;
      }
    },
    close: () => pool.end(),
  };
}
