import { join } from 'node:path';
import type { CommandContext, CommandRow } from './types.ts';

/** The JSON.parse floor: read + split + JSON.parse of every line, as a subprocess. */
export const JSON_PARSE_ROW: CommandRow = {
  kind: 'command',
  name: 'read+split+JSON.parse',
  role: 'json',
  argv: (ctx) => [process.execPath, join(ctx.root, 'bench/baselines/json-parse.mjs'), ctx.file],
};

/** `node bin/kaudit <args...>`. */
export function kaudit(ctx: CommandContext, ...args: string[]): string[] {
  return [process.execPath, join(ctx.root, 'bin/kaudit'), ...args];
}

export const JQ = '/usr/bin/jq';
