import { createHash } from 'node:crypto';

/**
 * Where one content of a followed file was read up to, once its lines were committed (their
 * alerts delivered). A content is known by its head (its first line, see head.ts), which
 * survives rename, copy and compression.
 */
export interface FollowPosition {
  /** SHA-256 of the content's head, hex (the state file holds no event text). */
  readonly head: string;
  /** Bytes of the content committed: the end of its last whole line handed on. */
  readonly offset: number;
  /** Lines up to `offset`, so that line numbers go on where they were. */
  readonly line: number;
}

/**
 * What a previous run read of a followed file: every content it committed lines of (the
 * file's own and its rotated ones, recent first, bounded), and when following began.
 * Contents can be read out of rotation order (a file rotated twice between two looks is
 * read after the newer one), so one position could not say what is done; this can.
 */
export interface FollowResume {
  /** Epoch ms when the first run began: rotated contents older than this are not ours. */
  readonly since: number;
  /** Committed position by head (FollowPosition.head). */
  readonly contents: ReadonlyMap<string, FollowPosition>;
}

/** A head as a position keeps it: its SHA-256, hex. */
export function headKey(head: Buffer): string {
  return createHash('sha256').update(head).digest('hex');
}

/** Whether a value read from a state file is a well-formed position. */
export function isFollowPosition(v: unknown): v is FollowPosition {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  const count = (n: unknown): boolean => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  return (
    typeof p.head === 'string' && /^[0-9a-f]{64}$/.test(p.head) && count(p.offset) && count(p.line)
  );
}
