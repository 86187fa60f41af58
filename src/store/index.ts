export { toAlertRow } from './alert-row.ts';
export { parseTimeNs } from './filter.ts';
export { createAlertMatcher } from './match.ts';
export { openAlertStore, SQLITE_FILE } from './open.ts';
export { createPostgresStore, type PostgresStoreOptions } from './postgres-store.ts';
export { REDACTED, sanitizeEvent } from './sanitize-event.ts';
export { createSqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';
export {
  type AlertFilter,
  type AlertListener,
  type AlertPage,
  type AlertStore,
  type CountKey,
  type CountsOptions,
  type CountsResult,
  type InsertResult,
  type PageOptions,
  type PruneOptions,
  type StoredAlert,
  type StoredAlertWithEvent,
  StoreError,
  type StoreErrorCode,
  type StoreKind,
} from './store.ts';
export { createStoreOutput } from './store-output.ts';
