import type { LoadedRule } from '../../rules/types.ts';
import type { ScanConfig } from '../scan-core.ts';
import type { Chunk } from './plan-chunks.ts';

/** A bad-input report from a worker; `line` is relative to the chunk's first line. */
export interface WorkerReject {
  readonly reason: string;
  readonly origin: string;
  readonly line: number;
  readonly column?: number;
  readonly message: string;
}

/** What a worker sends back for one chunk. */
export interface ChunkResult {
  readonly type: 'result';
  readonly index: number;
  /** Formatted alerts, each followed by '\n'. */
  readonly output: string;
  /** Newlines in the chunk: the next chunk of the same file starts after them. */
  readonly lines: number;
  readonly events: number;
  readonly bytes: number;
  readonly skipped: number;
  readonly rejected: Readonly<Record<string, number>>;
  readonly rejects: readonly WorkerReject[];
  readonly byRule: readonly (readonly [string, number])[];
  readonly byPriority: readonly (readonly [string, number])[];
  /** Most severe alert rank seen (0 = Emergency), or 99 for none. */
  readonly minRank: number;
}

export type WorkerRequest =
  | { readonly type: 'init'; readonly cfg: ScanConfig; readonly rules: readonly LoadedRule[] }
  | { readonly type: 'chunk'; readonly chunk: Chunk }
  | { readonly type: 'stop' };

export type WorkerResponse = ChunkResult | { readonly type: 'error'; readonly message: string };
