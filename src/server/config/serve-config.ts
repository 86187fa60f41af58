import { isIP } from 'node:net';
import { parseBusUrl } from '../../bus/bus-options.ts';
import { type Priority, parsePriority } from '../../rules/index.ts';
import type { JsonIncludes } from './falco-options.ts';
import { ConfigError, type RawSettings, type RawValue, settingDef } from './load-config.ts';
import { parseDuration, parseSize } from './units.ts';

/** Where to listen. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** Everything `kaudit serve` runs with, typed and checked. */
export interface ServeConfig {
  readonly listen: ListenAddress;
  readonly dataDir: string;
  readonly tokenFile?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly clientCa?: string;
  readonly outputs: readonly string[];
  readonly rules: readonly string[];
  readonly ruleMatching: 'first' | 'all';
  readonly minPriority?: Priority;
  readonly insecure: boolean;
  readonly maxEventSize: number;
  readonly maxBodySize: number;
  readonly spoolMaxSize: number;
  readonly spoolRetentionMs: number;
  readonly cluster?: string;
  readonly logLevel: string;
  readonly watchRules: boolean;
  /** falco.yaml's json_include_*: the properties of the outputs' JSON alerts (unset: Falco's defaults). */
  readonly jsonIncludes: JsonIncludes;
  /** `none`, a directory (SQLite) or a postgres:// URL; default the data directory. */
  readonly store: string;
  readonly storeRetentionMs: number;
  readonly storeMaxAlerts: number;
  readonly apiTokenFile?: string;
  readonly apiTokens?: string;
  readonly auth: boolean;
  readonly basePath: string;
  readonly correlationToleranceMs?: number;
  readonly correlationMaxGroups?: number;
  /** NATS servers of the bus (`--bus`): serve publishes batches there and detects nothing. */
  readonly bus?: readonly string[];
  readonly busReplicas?: number;
  readonly busPartitions?: number;
}

export const DEFAULT_PORT = 9765;

function parseCount(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) && Number(text) > 0 ? Number(text) : undefined;
}

function parseBusOrUndefined(text: string): string[] | undefined {
  try {
    return parseBusUrl(text);
  } catch {
    return undefined;
  }
}

/** `HOST:PORT`, `[v6]:PORT`, `:PORT` (all interfaces) or `PORT` (loopback). */
export function parseListen(text: string): ListenAddress | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return { host: '127.0.0.1', port: Number(t) };
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(t);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  const host = m[1] ?? (m[2] === '' ? '0.0.0.0' : (m[2] as string));
  return { host, port };
}

/** Whether only this machine can reach the address. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

interface Reader {
  text(key: string): string | undefined;
  list(key: string): readonly string[] | undefined;
  bool(key: string): boolean | undefined;
}

function describe(raw: RawSettings, key: string): string {
  const o = raw.get(key)?.origin;
  const def = settingDef(key);
  if (o === undefined) return `'${def.key}'`;
  if (o.kind === 'flag') return o.where.startsWith('-o ') ? o.where : `--${def.flag}`;
  if (o.kind === 'env') return o.where;
  return `${o.where}: '${def.key}'`;
}

function reader(raw: RawSettings): Reader {
  const get = (key: string): RawValue | undefined => raw.get(key)?.value;
  return {
    text(key) {
      const v = get(key);
      if (v === undefined) return undefined;
      if (typeof v !== 'string')
        throw new ConfigError('CONFIG_VALUE', `${describe(raw, key)} must be a single value`);
      return v;
    },
    list(key) {
      const v = get(key);
      if (v === undefined) return undefined;
      return typeof v === 'string' ? [v] : typeof v === 'boolean' ? [String(v)] : v;
    },
    bool(key) {
      const v = get(key);
      if (v === undefined || typeof v === 'boolean') return v;
      if (typeof v !== 'string')
        throw new ConfigError('CONFIG_VALUE', `${describe(raw, key)} must be true or false`);
      if (/^(true|yes|on|1)$/i.test(v)) return true;
      if (/^(false|no|off|0)$/i.test(v)) return false;
      throw new ConfigError(
        'CONFIG_VALUE',
        `${describe(raw, key)}: expected true or false, got '${v}'`,
      );
    },
  };
}

function typed<T>(
  raw: RawSettings,
  key: string,
  text: string | undefined,
  parse: (t: string) => T | undefined,
  expected: string,
): T | undefined {
  if (text === undefined) return undefined;
  const v = parse(text);
  if (v === undefined)
    throw new ConfigError(
      'CONFIG_VALUE',
      `${describe(raw, key)}: expected ${expected}, got '${text}'`,
    );
  return v;
}

/**
 * Types and checks merged settings, filling defaults. Throws ConfigError naming where
 * the bad value came from (flag, variable, or file:line:col).
 */
export function resolveServeConfig(raw: RawSettings): ServeConfig {
  const r = reader(raw);
  const listen = typed(raw, 'listen', r.text('listen'), parseListen, 'HOST:PORT') ?? {
    host: '127.0.0.1',
    port: DEFAULT_PORT,
  };
  const matching = r.text('ruleMatching') ?? 'first';
  if (matching !== 'first' && matching !== 'all') {
    throw new ConfigError(
      'CONFIG_VALUE',
      `${describe(raw, 'ruleMatching')}: expected first or all, got '${matching}'`,
    );
  }
  const logLevel = r.text('logLevel') ?? 'info';
  const levels = settingDef('logLevel').choices ?? [];
  if (!levels.includes(logLevel)) {
    throw new ConfigError(
      'CONFIG_VALUE',
      `${describe(raw, 'logLevel')}: expected one of ${levels.join(', ')}, got '${logLevel}'`,
    );
  }
  const minPriority = typed(
    raw,
    'minPriority',
    r.text('minPriority'),
    parsePriority,
    'a priority such as warning',
  );
  const opt = <K extends string, V>(k: K, v: V | undefined) =>
    v === undefined ? {} : ({ [k]: v } as Record<K, V>);
  const tlsCert = r.text('tlsCert');
  const tlsKey = r.text('tlsKey');
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new ConfigError(
      'CONFIG_VALUE',
      'TLS needs both a certificate and a key (--tls-cert and --tls-key)',
    );
  }
  return {
    listen,
    dataDir: r.text('dataDir') ?? 'kaudit-data',
    ...opt('tokenFile', r.text('tokenFile')),
    ...opt('tlsCert', tlsCert),
    ...opt('tlsKey', tlsKey),
    ...opt('clientCa', r.text('clientCa')),
    outputs: r.list('outputs') ?? ['stdout'],
    rules: r.list('rules') ?? [],
    ruleMatching: matching,
    ...opt('minPriority', minPriority),
    insecure: r.bool('insecure') ?? false,
    maxEventSize:
      typed(raw, 'maxEventSize', r.text('maxEventSize'), parseSize, 'a size such as 256k') ??
      262144,
    maxBodySize:
      typed(raw, 'maxBodySize', r.text('maxBodySize'), parseSize, 'a size such as 64m') ??
      64 * 1024 * 1024,
    spoolMaxSize:
      typed(raw, 'spoolMaxSize', r.text('spoolMaxSize'), parseSize, 'a size such as 1g') ??
      1024 ** 3,
    spoolRetentionMs:
      typed(
        raw,
        'spoolRetention',
        r.text('spoolRetention'),
        parseDuration,
        'a duration such as 1h',
      ) ?? 3_600_000,
    ...opt('cluster', r.text('cluster')),
    logLevel,
    watchRules: r.bool('watchRules') ?? true,
    jsonIncludes: {
      ...opt('includeOutput', r.bool('jsonIncludeOutputProperty')),
      ...opt('includeTags', r.bool('jsonIncludeTagsProperty')),
      ...opt('includeMessage', r.bool('jsonIncludeMessageProperty')),
      ...opt('includeOutputFields', r.bool('jsonIncludeOutputFieldsProperty')),
    },
    store: r.text('store') ?? r.text('dataDir') ?? 'kaudit-data',
    storeRetentionMs:
      typed(
        raw,
        'storeRetention',
        r.text('storeRetention'),
        parseDuration,
        'a duration such as 30d',
      ) ?? 30 * 86_400_000,
    storeMaxAlerts:
      typed(raw, 'storeMaxAlerts', r.text('storeMaxAlerts'), parseCount, 'a whole number') ??
      10_000_000,
    ...opt('apiTokenFile', r.text('apiTokenFile')),
    ...opt('apiTokens', r.text('apiTokens')),
    auth: r.bool('auth') ?? true,
    basePath: r.text('basePath') ?? '',
    ...opt(
      'correlationToleranceMs',
      typed(
        raw,
        'correlationTolerance',
        r.text('correlationTolerance'),
        (t) => (t.trim() === '0' ? 0 : parseDuration(t)),
        'a duration such as 30s',
      ),
    ),
    ...opt('bus', typed(raw, 'bus', r.text('bus'), parseBusOrUndefined, 'nats://HOST:PORT[,...]')),
    ...opt(
      'busReplicas',
      typed(raw, 'busReplicas', r.text('busReplicas'), parseCount, 'a whole number'),
    ),
    ...opt(
      'busPartitions',
      typed(raw, 'busPartitions', r.text('busPartitions'), parseCount, 'a whole number'),
    ),
    ...opt(
      'correlationMaxGroups',
      typed(
        raw,
        'correlationMaxGroups',
        r.text('correlationMaxGroups'),
        (t) => (/^\d+$/.test(t.trim()) && Number(t) > 0 ? Number(t) : undefined),
        'a positive whole number',
      ),
    ),
  };
}
