import { close, fdatasync, openSync } from 'node:fs';

/** Makes what the spool's connection committed to its WAL durable (see below). */
export interface WalSync {
  /** Resolves once every WAL frame written so far is on disk. */
  sync(): Promise<void>;
  close(): void;
}

/**
 * Durability for appends without blocking the event loop. With `synchronous = FULL`, an
 * SQLite commit in WAL mode ends with an fsync of the WAL, inside the (synchronous)
 * better-sqlite3 call: the webhook's thread sat in that fsync for ~6 ms per group commit,
 * a large share of its time under load. With `synchronous = NORMAL` the commit only
 * writes the WAL frames, and this fdatasync of the same file, run on libuv's thread pool,
 * makes them durable before the appends resolve and the webhook answers 200. fsync acts
 * on the file, not the descriptor, so a read-only descriptor of its own serves; the WAL
 * file keeps its inode while a connection is open (a checkpoint truncates or rewrites
 * it, never replaces it), and frames a checkpoint already copied are durable in the
 * database file, which NORMAL syncs at every checkpoint.
 */
export function createWalSync(dbPath: string): WalSync {
  const walPath = `${dbPath}-wal`;
  let fd: number | undefined;
  let inFlight = 0;
  let closing = false;
  const release = (): void => {
    if (closing && inFlight === 0 && fd !== undefined) {
      close(fd, () => {});
      fd = undefined;
    }
  };
  return {
    sync() {
      return new Promise<void>((resolve, reject) => {
        if (closing) {
          reject(new Error('the spool is closed'));
          return;
        }
        try {
          // Opened on the first sync: the WAL exists once the first commit wrote it.
          fd ??= openSync(walPath, 'r');
        } catch (err) {
          reject(err as Error);
          return;
        }
        inFlight++;
        fdatasync(fd, (err) => {
          inFlight--;
          if (err) reject(err);
          else resolve();
          release();
        });
      });
    },
    close() {
      // Syncs still running finish on the descriptor before it closes.
      closing = true;
      release();
    },
  };
}
