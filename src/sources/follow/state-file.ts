import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type FollowPosition, type FollowResume, isFollowPosition } from './position.ts';

/** The state file's format version: a reader refuses another one rather than guess. */
const VERSION = 1;
/** Contents remembered per file, the most recently committed (as follow-file remembers). */
const MAX_CONTENTS = 256;

/** A state file that cannot be used, with what is wrong. */
export class FollowStateError extends Error {
  override readonly name = 'FollowStateError';
  constructor(
    readonly code: 'STATE_READ' | 'STATE_FORMAT' | 'STATE_WRITE',
    message: string,
  ) {
    super(message);
  }
}

/** What followed files a previous run read, kept in a file between runs. */
export interface FollowState {
  /** What the previous runs read of `path`; undefined when they never followed it. */
  get(path: string): FollowResume | undefined;
  /** Records a committed position and writes the file (atomically: a temp file renamed). */
  commit(path: string, position: FollowPosition): void;
}

interface FileEntry {
  since: number;
  contents: Map<string, FollowPosition>;
}

function formatError(file: string, what: string): FollowStateError {
  return new FollowStateError('STATE_FORMAT', `${file}: ${what}`);
}

function readEntry(file: string, path: string, v: unknown): FileEntry {
  const e = v as { since?: unknown; contents?: unknown };
  if (typeof e?.since !== 'number' || !Array.isArray(e.contents)) {
    throw formatError(file, `bad entry for ${JSON.stringify(path)}`);
  }
  const contents = new Map<string, FollowPosition>();
  for (const p of e.contents) {
    if (!isFollowPosition(p)) throw formatError(file, `bad position for ${JSON.stringify(path)}`);
    contents.set(p.head, { head: p.head, offset: p.offset, line: p.line });
  }
  return { since: e.since, contents };
}

function readState(file: string): Map<string, FileEntry> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new FollowStateError('STATE_READ', `${file}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw formatError(file, `not JSON (${(err as Error).message})`);
  }
  const d = doc as { version?: unknown; files?: unknown };
  if (d?.version !== VERSION || typeof d.files !== 'object' || d.files === null) {
    throw formatError(file, `not a kaudit follow state of version ${VERSION}`);
  }
  const out = new Map<string, FileEntry>();
  for (const [path, v] of Object.entries(d.files)) out.set(path, readEntry(file, path, v));
  return out;
}

/**
 * Opens a follow state file (`kaudit scan --follow --state-file`): a missing file is an
 * empty state; an unreadable or malformed one is a FollowStateError, so that a run never
 * starts over silently. Each commit rewrites it whole through a temporary file and a
 * rename, so a crash leaves the previous or the new state, never half of one.
 *
 * @example
 * const state = openFollowState('/var/lib/kaudit/follow.json');
 * state.get('/var/log/kubernetes/audit.log'); // undefined on the first run
 */
export function openFollowState(file: string, now: () => number = Date.now): FollowState {
  const files = readState(file);
  const tmp = `${file}.tmp`;
  return {
    get(path) {
      const e = files.get(resolve(path));
      return e === undefined ? undefined : { since: e.since, contents: new Map(e.contents) };
    },
    commit(path, position) {
      const key = resolve(path);
      let e = files.get(key);
      if (e === undefined) {
        e = { since: now(), contents: new Map() };
        files.set(key, e);
      }
      // Most recent last; the oldest is forgotten past the bound.
      e.contents.delete(position.head);
      e.contents.set(position.head, position);
      if (e.contents.size > MAX_CONTENTS)
        e.contents.delete(e.contents.keys().next().value as string);
      const doc = {
        version: VERSION,
        files: Object.fromEntries(
          [...files].map(([p, f]) => [p, { since: f.since, contents: [...f.contents.values()] }]),
        ),
      };
      try {
        writeFileSync(tmp, `${JSON.stringify(doc)}\n`, { mode: 0o600 });
        renameSync(tmp, file);
      } catch (err) {
        throw new FollowStateError('STATE_WRITE', `${file}: ${(err as Error).message}`);
      }
    },
  };
}
