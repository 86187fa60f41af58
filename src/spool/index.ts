export { type DeliveryOptions, runDelivery } from './deliver.ts';
export { type EmbeddedSpool, openEmbeddedSpool, openSpoolState } from './open.ts';
export {
  type AlertOutbox,
  createSqliteOutbox,
  type KeyedAlert,
  OUTBOX_MIGRATIONS,
  type OutboxEntry,
} from './outbox.ts';
export { createOutboxOutput } from './outbox-output.ts';
export type { Spool, SpoolBatch, SpoolBatchInput, SpoolStats } from './spool.ts';
export { SpoolUnavailableError } from './spool.ts';
export { createSpoolSource } from './spool-source.ts';
export { createSqliteSpool, type SqliteSpoolOptions } from './sqlite-spool.ts';
