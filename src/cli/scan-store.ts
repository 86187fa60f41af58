import type { Alert } from '../engine/index.ts';
import { OutputWriteError } from '../outputs/index.ts';
import { type AlertStore, createStoreOutput, openAlertStore } from '../store/index.ts';
import type { CommandIo } from './command-io.ts';
import { CliError } from './errors.ts';

/** `kaudit scan --store`: the store a scan loads its alerts into, as an output. */
export interface ScanStore {
  readonly output: ReturnType<typeof createStoreOutput>;
  /** Closes the store and prints how many alerts went in and how many it held already. */
  close(): Promise<void>;
}

/** A store spec as it may be printed: a URL's password is not. */
export function describeStoreSpec(spec: string): string {
  return spec.replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * Opens the store `spec` names (a data directory, SQLite `alerts.db` inside, or a
 * postgres:// URL: what `kaudit serve --data-dir`/`--store` read) and wraps it as an
 * output. A store that cannot be opened or written ends the scan with one line.
 */
export async function openScanStore(spec: string, io: CommandIo): Promise<ScanStore> {
  const shown = describeStoreSpec(spec);
  let store: AlertStore;
  try {
    store = await openAlertStore(spec);
  } catch (err) {
    throw new CliError(`kaudit: cannot open the alert store ${shown}: ${(err as Error).message}`);
  }
  let inserted = 0;
  let duplicates = 0;
  // Counts what each insert did; a failure becomes an output error (one line, exit 1).
  const counting: AlertStore = {
    ...store,
    async insert(alerts: readonly Alert[]) {
      try {
        const r = await store.insert(alerts);
        inserted += r.inserted;
        duplicates += r.duplicates;
        return r;
      } catch (err) {
        throw new OutputWriteError(
          'STORE_WRITE',
          `alert store ${shown}: ${(err as Error).message}`,
        );
      }
    },
  };
  return {
    output: createStoreOutput(counting, `store:${shown}`),
    async close() {
      await store.close();
      io.stderr.write(
        `kaudit: alert store ${shown}: ${inserted} alert(s) stored, ${duplicates} already there\n`,
      );
    },
  };
}
