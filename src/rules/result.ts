import { CODE_DESCRIPTIONS } from './messages.ts';
import type { LoadMessage, LoadResult } from './types.ts';

function formatMessage(m: LoadMessage, severity: 'error' | 'warning'): string {
  const outer = m.locations[0];
  const inner = m.locations[m.locations.length - 1];
  const where =
    inner === undefined
      ? ''
      : `${inner.position.name}:${inner.position.line}:${inner.position.column}: `;
  const item =
    outer === undefined || outer.itemType === 'rules content'
      ? ''
      : `In ${outer.itemType} '${outer.itemName}': `;
  const reason = m.reason === undefined ? '' : ` (${m.reason})`;
  const head = `${where}${severity} ${m.code}: ${item}${m.message}${reason}`;
  return m.snippet === undefined ? head : `${head}\n${indent(m.snippet)}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

/**
 * The load result as text: one block per message,
 * `file:line:col: error CODE: In rule 'X': message` and the source line with a caret.
 * Warnings are included only when `verbose`.
 */
export function formatLoadResult(result: LoadResult, options: { verbose: boolean }): string {
  const blocks = result.errors.map((m) => formatMessage(m, 'error'));
  if (options.verbose) blocks.push(...result.warnings.map((m) => formatMessage(m, 'warning')));
  if (blocks.length === 0) return result.ok ? '' : 'error: rules failed to load\n';
  return `${blocks.join('\n')}\n`;
}

interface JsonMessage {
  readonly code: string;
  readonly codedesc: string;
  readonly message: string;
  readonly context: {
    readonly locations: readonly {
      readonly item_type: string;
      readonly item_name: string;
      readonly position: {
        readonly name: string;
        readonly line: number;
        readonly column: number;
        readonly offset: number;
      };
    }[];
    readonly snippet: string;
  };
}

function toJsonMessage(m: LoadMessage): JsonMessage {
  return {
    code: m.code,
    codedesc: CODE_DESCRIPTIONS[m.code],
    message: m.message,
    context: {
      locations: m.locations.map((l) => ({
        item_type: l.itemType,
        item_name: l.itemName,
        position: {
          name: l.position.name,
          line: l.position.line,
          column: l.position.column,
          offset: l.position.offset,
        },
      })),
      snippet: m.snippet ?? '',
    },
  };
}

/**
 * Falco's `falco -V … -o json_output=true` document: one entry per file named in any
 * message (or one for the whole load when there is none).
 */
export function loadResultToJSON(
  result: LoadResult,
  name?: string,
): { falco_load_results: readonly object[] } {
  const fileOf = (m: LoadMessage): string => m.locations[0]?.position.name ?? name ?? '';
  const names = new Set<string>();
  if (name !== undefined) names.add(name);
  for (const m of [...result.errors, ...result.warnings]) names.add(fileOf(m));
  if (names.size === 0) names.add('');
  return {
    falco_load_results: [...names].map((n) => {
      const errors = result.errors.filter((m) => fileOf(m) === n).map(toJsonMessage);
      return {
        name: n,
        successful: errors.length === 0,
        errors,
        warnings: result.warnings.filter((m) => fileOf(m) === n).map(toJsonMessage),
      };
    }),
  };
}
