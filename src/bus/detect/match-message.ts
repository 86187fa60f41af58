import type { StepMatch } from '../../engine/index.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A partition message: step matches, and the newest event time their worker had seen. */
export interface MatchMessage {
  /** Event time (ns, decimal) the worker had reached: moves the partition's clock. */
  readonly t: string;
  readonly m: readonly StepMatch[];
}

export function encodeMatches(t: string, m: readonly StepMatch[]): Uint8Array {
  return encoder.encode(JSON.stringify({ t, m } satisfies MatchMessage));
}

export function decodeMatches(data: Uint8Array): MatchMessage {
  const v = JSON.parse(decoder.decode(data)) as MatchMessage;
  return { t: typeof v.t === 'string' ? v.t : '', m: Array.isArray(v.m) ? v.m : [] };
}
