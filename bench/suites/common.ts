import { isAbsolute, join } from 'node:path';
import type { CommandContext, CommandRow } from './types.ts';

/** The JSON.parse floor: read + split + JSON.parse of every line, as a subprocess. */
export const JSON_PARSE_ROW: CommandRow = {
  kind: 'command',
  name: 'read+split+JSON.parse',
  role: 'json',
  argv: (ctx) => [process.execPath, join(ctx.root, 'bench/baselines/json-parse.mjs'), ctx.file],
};

/**
 * `node bin/kaudit <args...>`. KAUDIT_BENCH_BIN names another entry script (e.g. a
 * bundle snapshot), so that a run is not switched between the bundle and tsx by
 * bin/kaudit's freshness check when someone edits src/ meanwhile.
 */
export function kaudit(ctx: CommandContext, ...args: string[]): string[] {
  const bin = process.env.KAUDIT_BENCH_BIN ?? 'bin/kaudit';
  return [process.execPath, isAbsolute(bin) ? bin : join(ctx.root, bin), ...args];
}

export const JQ = '/usr/bin/jq';
