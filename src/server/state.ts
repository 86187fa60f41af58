import type { Output } from '../outputs/index.ts';
import { type EmbeddedSpool, openEmbeddedSpool } from '../spool/index.ts';
import { type AlertStore, createStoreOutput, openAlertStore } from '../store/index.ts';
import { ConfigError } from './config/load-config.ts';
import type { ServeConfig } from './config/serve-config.ts';
import { settleWithin } from './settle-within.ts';

/** How long closing waits for the outputs to close. */
const CLOSE_MS = 5_000;

/** An output and the name of its cursor in the outbox (its `--output` spec, or `store`). */
export interface NamedOutput {
  readonly spec: string;
  readonly output: Output;
}

/** What serve keeps on disk and where alerts go. */
export interface ServeState {
  readonly embedded: EmbeddedSpool;
  readonly store?: AlertStore;
  readonly outputs: readonly NamedOutput[];
  readonly spoolOptions: { readonly maxBytes: number; readonly retentionMs: number };
  close(): Promise<void>;
}

/**
 * Opens the spool (and outbox) in the data directory, the alert store (an output like the
 * others, with its own outbox cursor, read by the API) and the `--output` outputs.
 */
export async function openServeState(
  c: ServeConfig,
  openOutput: (spec: string) => Output,
): Promise<ServeState> {
  const outputs: NamedOutput[] = c.outputs.map((spec) => ({ spec, output: openOutput(spec) }));
  const spoolOptions = { maxBytes: c.spoolMaxSize, retentionMs: c.spoolRetentionMs };
  let embedded: EmbeddedSpool;
  try {
    embedded = openEmbeddedSpool(c.dataDir, spoolOptions);
  } catch (err) {
    throw new ConfigError(
      'CONFIG_VALUE',
      `cannot open the spool in ${c.dataDir}: ${(err as Error).message}`,
    );
  }
  let store: AlertStore | undefined;
  if (c.store !== 'none') {
    try {
      store = await openAlertStore(c.store);
    } catch (err) {
      embedded.close();
      throw new ConfigError(
        'CONFIG_VALUE',
        `cannot open the alert store ${c.store}: ${(err as Error).message}`,
      );
    }
    outputs.push({ spec: 'store', output: createStoreOutput(store) });
  }
  return {
    embedded,
    ...(store !== undefined ? { store } : {}),
    outputs,
    spoolOptions,
    async close() {
      // An output slow to close (a pipe nobody reads) must not hold the exit: what it had
      // not delivered stays in the outbox for the next start.
      await settleWithin(
        outputs.map(({ output }) => output.close()),
        CLOSE_MS,
      );
      await store?.close();
      embedded.close();
    },
  };
}
