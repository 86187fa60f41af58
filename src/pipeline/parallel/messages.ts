import type { Alert, StepMatch } from '../../engine/index.ts';
import type { InputFormatChoice } from '../../events/index.ts';
import type { RenderChannel } from '../../outputs/index.ts';
import type { LoadedRule, Priority } from '../../rules/index.ts';
import type { Chunk, InputErrorCode } from '../../sources/index.ts';
import type { DetectorConfig } from '../detector.ts';

/** Everything a scanning thread needs besides the rules; plain data. */
export interface ChunkScanConfig {
  readonly detector: DetectorConfig;
  readonly maxEventSize?: number;
  /** Events over maxEventSize: judged without bodies (`trim`, default) or rejected. */
  readonly oversize?: 'trim' | 'drop';
  readonly cluster?: string;
  /** `--input-format`: the one format decoded (default auto). */
  readonly format?: InputFormatChoice;
  /** Longest line (bytes) read from a chunk. */
  readonly maxLineBytes: number;
  /** Line outputs' renderings: each chunk's alerts are rendered once per channel. */
  readonly channels: readonly RenderChannel[];
  /** Whether some output takes alerts as objects (http, program, store). */
  readonly structured: boolean;
}

/** A bad-input report from a thread; `line` is relative to the chunk's first line. */
export interface WorkerReject {
  readonly reason: string;
  readonly origin: string;
  readonly line: number;
  readonly column?: number;
  readonly message: string;
}

/** An input a thread could not read (an InputError as plain data). */
export interface WorkerInputError {
  readonly code: InputErrorCode;
  readonly path: string;
  readonly detail?: string;
}

/**
 * An event of a chunk that the correlating thread must see: it matched steps of stateful
 * rules, or the thread's clock moved (whole seconds of event time). `at` says where in
 * the chunk's output the alerts it may fire go: per render channel the characters and
 * alerts rendered before them, then the count of structured alerts before them.
 */
export interface CorrelationItem {
  readonly timeNs: string;
  readonly steps: readonly StepMatch[];
  /** [chars, alerts] per channel, flattened. */
  readonly at: readonly number[];
  readonly alerts: number;
}

/** What a thread sends back for one chunk. */
export interface ChunkResult {
  readonly type: 'result';
  readonly index: number;
  /** Per channel: the chunk's alerts rendered, each line followed by '\n', and their count. */
  readonly rendered: readonly string[];
  readonly renderedCounts: readonly number[];
  /** The alerts as objects, when some output needs them (ChunkScanConfig.structured). */
  readonly alerts: readonly Alert[];
  /** Lines in the chunk: the next chunk of the same file starts after them. */
  readonly lines: number;
  readonly events: number;
  readonly bytes: number;
  readonly skipped: number;
  readonly rejected: Readonly<Record<string, number>>;
  readonly notices: Readonly<Record<string, number>>;
  /** Records per input format. */
  readonly formats: Readonly<Record<string, number>>;
  readonly rejects: readonly WorkerReject[];
  /** The chunk's file could not be read, or not to the chunk's end. */
  readonly inputErrors: readonly WorkerInputError[];
  readonly byRule: readonly (readonly [string, number])[];
  readonly byPriority: readonly (readonly [Priority, number])[];
  /** In event order; empty without stateful rules. */
  readonly correlation: readonly CorrelationItem[];
}

export type WorkerRequest =
  | { readonly type: 'init'; readonly cfg: ChunkScanConfig; readonly rules: readonly LoadedRule[] }
  | { readonly type: 'chunk'; readonly chunk: Chunk }
  | { readonly type: 'stop' };

export type WorkerResponse = ChunkResult | { readonly type: 'error'; readonly message: string };
