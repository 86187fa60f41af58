import { type Priority, parsePriority } from '../rules/priority.ts';
import type { AlertFilterSpec } from './alert-filter.ts';
import { OutputConfigError } from './output-errors.ts';

/** Kinds of output a spec can name. */
export type OutputType = 'stdout' | 'file' | 'http' | 'program';

/** The options of a spec, checked and typed; which apply to which type: OPTION_TABLE. */
export interface OutputOptions {
  readonly format?: 'text' | 'json';
  readonly isoTime?: boolean;
  readonly filter?: AlertFilterSpec;
  readonly mode?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly bearerTokenFile?: string;
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly insecureSkipVerify?: boolean;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly concurrency?: number;
  readonly queueSize?: number;
  readonly flushTimeoutMs?: number;
  readonly userAgent?: string;
}

type Mutable = { -readonly [K in keyof OutputOptions]: OutputOptions[K] };
type Value = string | true;

interface OptionDef {
  readonly types: readonly OutputType[];
  /** May be given more than once (the values add up). */
  readonly repeat?: boolean;
  readonly apply: (o: Mutable, v: Value, filter: FilterParts) => void;
}

interface FilterParts {
  minPriority?: Priority;
  rules: string[];
  tags: string[];
}

const ALL: readonly OutputType[] = ['stdout', 'file', 'http', 'program'];
const QUEUED: readonly OutputType[] = ['file', 'http', 'program'];
const HTTP: readonly OutputType[] = ['http'];

function bad(message: string): never {
  throw new OutputConfigError('OUTPUT_SPEC_INVALID', message);
}

function text(key: string, v: Value): string {
  if (v === true || v === '') bad(`option '${key}' needs a value (${key}=...)`);
  return v;
}

function flag(key: string, v: Value): boolean {
  if (v === true || v === 'true') return true;
  if (v === 'false') return false;
  return bad(`option '${key}' takes true or false (got '${v}')`);
}

function count(key: string, v: Value, min: number): number {
  const s = text(key, v);
  const n = Number(s);
  if (!/^\d+$/.test(s) || n < min || n > 1_000_000) {
    bad(`option '${key}' takes a whole number from ${min} (got '${s}')`);
  }
  return n;
}

/** `500ms`, `5s`, `2m`: a unit is required, so `5` cannot mean two things. */
export function parseDuration(key: string, v: Value): number {
  const s = text(key, v);
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(s.trim());
  if (m === null)
    return bad(`option '${key}' takes a duration such as 500ms, 5s or 1m (got '${s}')`);
  const n = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
  if (n <= 0 || n > 3_600_000) bad(`option '${key}' must be above 0 and at most 1h (got '${s}')`);
  return n;
}

function header(v: Value): [string, string] {
  const s = text('header', v);
  const colon = s.indexOf(':');
  const name = s.slice(0, Math.max(colon, 0)).trim();
  // RFC 9110 token characters; a value with CR or LF could smuggle a second header.
  if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    bad(`option 'header' takes 'Name: value' (got '${s}')`);
  }
  const value = s.slice(colon + 1).trim();
  if (/[\r\n\0]/.test(value)) bad(`header '${name}' has a line break in its value`);
  return [name, value];
}

/** Every option, the types it applies to, and how it is read. docs/outputs.md lists them. */
const OPTION_TABLE: Readonly<Record<string, OptionDef>> = {
  format: {
    types: ALL,
    apply: (o, v) => {
      const s = text('format', v);
      if (s !== 'json' && s !== 'text') bad(`option 'format' takes json or text (got '${s}')`);
      o.format = s;
    },
  },
  'iso-time': { types: ALL, apply: (o, v) => (o.isoTime = flag('iso-time', v)) },
  'min-priority': {
    types: ALL,
    apply: (_o, v, f) => {
      const s = text('min-priority', v);
      f.minPriority =
        parsePriority(s) ??
        bad(`option 'min-priority' takes a priority such as warning (got '${s}')`);
    },
  },
  rule: { types: ALL, repeat: true, apply: (_o, v, f) => f.rules.push(text('rule', v)) },
  tag: { types: ALL, repeat: true, apply: (_o, v, f) => f.tags.push(text('tag', v)) },
  mode: {
    types: ['file'],
    apply: (o, v) => {
      const s = text('mode', v);
      if (!/^0?[0-7]{3}$/.test(s))
        bad(`option 'mode' takes octal permissions such as 0640 (got '${s}')`);
      o.mode = Number.parseInt(s, 8);
    },
  },
  header: {
    types: HTTP,
    repeat: true,
    apply: (o, v) => {
      const [name, value] = header(v);
      o.headers = { ...o.headers, [name]: value };
    },
  },
  'bearer-token-file': {
    types: HTTP,
    apply: (o, v) => (o.bearerTokenFile = text('bearer-token-file', v)),
  },
  ca: { types: HTTP, apply: (o, v) => (o.caFile = text('ca', v)) },
  cert: { types: HTTP, apply: (o, v) => (o.certFile = text('cert', v)) },
  key: { types: HTTP, apply: (o, v) => (o.keyFile = text('key', v)) },
  'insecure-skip-verify': {
    types: HTTP,
    apply: (o, v) => (o.insecureSkipVerify = flag('insecure-skip-verify', v)),
  },
  timeout: { types: HTTP, apply: (o, v) => (o.timeoutMs = parseDuration('timeout', v)) },
  retries: { types: HTTP, apply: (o, v) => (o.retries = count('retries', v, 0)) },
  concurrency: { types: HTTP, apply: (o, v) => (o.concurrency = count('concurrency', v, 1)) },
  'user-agent': { types: HTTP, apply: (o, v) => (o.userAgent = text('user-agent', v)) },
  'queue-size': { types: QUEUED, apply: (o, v) => (o.queueSize = count('queue-size', v, 1)) },
  'flush-timeout': {
    types: QUEUED,
    apply: (o, v) => {
      o.flushTimeoutMs =
        v === 'none' ? Number.POSITIVE_INFINITY : parseDuration('flush-timeout', v);
    },
  },
};

/** The option names, for help texts and config-file checks. */
export const OUTPUT_OPTION_NAMES: readonly string[] = Object.keys(OPTION_TABLE);

/**
 * Checks and types the options of one output. Throws OutputConfigError
 * (OUTPUT_SPEC_INVALID) for an unknown option, one that does not apply to `type`, one
 * given twice that cannot repeat, or a bad value.
 */
export function parseOutputOptions(
  type: OutputType,
  entries: readonly (readonly [string, Value])[],
): OutputOptions {
  const o: Mutable = {};
  const f: FilterParts = { rules: [], tags: [] };
  const seen = new Set<string>();
  for (const [key, value] of entries) {
    const def = Object.hasOwn(OPTION_TABLE, key) ? OPTION_TABLE[key] : undefined;
    if (def === undefined)
      bad(`unknown option '${key}' (options: ${OUTPUT_OPTION_NAMES.join(', ')})`);
    if (!def.types.includes(type)) bad(`option '${key}' does not apply to ${type} outputs`);
    if (seen.has(key) && def.repeat !== true) bad(`option '${key}' is given twice`);
    seen.add(key);
    def.apply(o, value, f);
  }
  if (f.minPriority !== undefined || f.rules.length > 0 || f.tags.length > 0) {
    o.filter = {
      ...(f.minPriority !== undefined ? { minPriority: f.minPriority } : {}),
      ...(f.rules.length > 0 ? { rules: f.rules } : {}),
      ...(f.tags.length > 0 ? { tags: f.tags } : {}),
    };
  }
  return o;
}
