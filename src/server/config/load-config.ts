import { readFileSync } from 'node:fs';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { envName, SETTINGS, type SettingDef } from './settings.ts';

/** A setting's raw value before typing: text, a list of texts, or a boolean. */
export type RawValue = string | readonly string[] | boolean;

/** Where a value came from, for messages. */
export interface ValueOrigin {
  readonly kind: 'flag' | 'env' | 'file' | 'default';
  /** `kaudit.yaml:3:9`, `KAUDIT_LISTEN`, `--listen`. */
  readonly where: string;
}

/** A problem with the configuration, with where it is (file:line:col, variable, flag). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly code: 'CONFIG_READ' | 'CONFIG_YAML' | 'CONFIG_KEY' | 'CONFIG_VALUE',
    message: string,
  ) {
    super(message);
  }
}

/** Raw settings by key, each with its origin. */
export type RawSettings = ReadonlyMap<
  string,
  { readonly value: RawValue; readonly origin: ValueOrigin }
>;

const BY_KEY = new Map(SETTINGS.map((s) => [s.key, s]));
/** Settings by key, and by their falco.yaml key (`priority`, `json_include_tags_property`). */
const BY_ANY_KEY = new Map([
  ...BY_KEY,
  ...SETTINGS.flatMap((s) => (s.falcoKey === undefined ? [] : [[s.falcoKey, s] as const])),
]);

/** The setting a config key names, kaudit's or falco.yaml's spelling; undefined if none. */
export function settingByKey(key: string): SettingDef | undefined {
  return BY_ANY_KEY.get(key);
}

function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/**
 * Reads kaudit.yaml: a mapping of setting keys (see settings.ts). Unknown keys and values
 * of the wrong shape are errors with file:line:col, so a typo never goes unnoticed.
 */
export function readConfigFile(
  path: string,
): Map<string, { value: RawValue; origin: ValueOrigin }> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      'CONFIG_READ',
      `cannot read config file ${path}: ${(err as Error).message}`,
    );
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const where = (offset: number | undefined): string => {
    const p = lines.linePos(offset ?? 0);
    return `${path}:${p.line}:${p.col}`;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0] as (typeof doc.errors)[number];
    throw new ConfigError('CONFIG_YAML', `${where(e.pos[0])}: ${e.message.split('\n')[0]}`);
  }
  const out = new Map<string, { value: RawValue; origin: ValueOrigin }>();
  const root = doc.contents;
  if (root === null) return out;
  if (!isMap(root)) {
    throw new ConfigError(
      'CONFIG_YAML',
      `${where(root.range?.[0])}: the config file must be a mapping of settings`,
    );
  }
  for (const pair of root.items) {
    const keyNode = pair.key;
    const key = isScalar(keyNode) ? String(keyNode.value) : '';
    const at = where(isScalar(keyNode) ? keyNode.range?.[0] : undefined);
    const def = BY_ANY_KEY.get(key);
    if (def === undefined) {
      const known = SETTINGS.map((s) => s.key).join(', ');
      throw new ConfigError('CONFIG_KEY', `${at}: unknown setting '${key}' (known: ${known})`);
    }
    // An alias is followed one step: values are scalars or lists of scalars, so nothing
    // here can expand into a bomb.
    const node = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
    const vAt = where(
      node !== null && typeof node === 'object' && 'range' in node ? node.range?.[0] : undefined,
    );
    const value = readValue(def, node, vAt);
    out.set(def.key, { value, origin: { kind: 'file', where: vAt } });
  }
  return out;
}

/** A setting's value node as raw text, a list of texts, or a boolean. */
function readValue(def: SettingDef, node: unknown, at: string): RawValue {
  if (def.type === 'list') {
    if (isSeq(node)) {
      return node.items.map((item) => {
        const t = isScalar(item) ? scalarText(item.value) : undefined;
        if (t === undefined)
          throw new ConfigError('CONFIG_VALUE', `${at}: '${def.key}' items must be text`);
        return t;
      });
    }
    if (isScalar(node) && scalarText(node.value) !== undefined)
      return [scalarText(node.value) as string];
    throw new ConfigError('CONFIG_VALUE', `${at}: '${def.key}' must be a list`);
  }
  if (isScalar(node) && scalarText(node.value) !== undefined) {
    return def.type === 'boolean' && typeof node.value === 'boolean'
      ? node.value
      : (scalarText(node.value) as string);
  }
  throw new ConfigError('CONFIG_VALUE', `${at}: '${def.key}' must be a single value`);
}

/** `a,b[x=1,y=2]:c` → `a`, `b[x=1,y=2]:c`: commas inside an output's [options] stay. */
function splitOutsideBrackets(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '[') depth++;
    else if (ch === ']' && depth > 0) depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * A list from an environment variable: one item per line, or a single line split at the
 * commas outside brackets (KAUDIT_OUTPUT='file:/a,http[min-priority=error,tag=k8s]:URL').
 */
function envList(text: string): string[] {
  const parts = text.includes('\n') ? text.split('\n') : splitOutsideBrackets(text);
  return parts.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** The KAUDIT_* variables that are set, as raw settings. */
export function readEnvSettings(
  env: NodeJS.ProcessEnv,
): Map<string, { value: RawValue; origin: ValueOrigin }> {
  const out = new Map<string, { value: RawValue; origin: ValueOrigin }>();
  for (const def of SETTINGS) {
    const name = envName(def);
    const text = env[name];
    if (text === undefined || text === '') continue;
    const value: RawValue = def.type === 'list' ? envList(text) : text;
    out.set(def.key, { value, origin: { kind: 'env', where: name } });
  }
  return out;
}

/** Merges layers, later ones winning per key (a list from a flag replaces the file's). */
export function mergeSettings(
  ...layers: ReadonlyMap<string, { value: RawValue; origin: ValueOrigin }>[]
): RawSettings {
  const out = new Map<string, { value: RawValue; origin: ValueOrigin }>();
  for (const layer of layers) for (const [k, v] of layer) out.set(k, v);
  return out;
}

/** The definition of a key (for typed readers). */
export function settingDef(key: string): SettingDef {
  const def = BY_KEY.get(key);
  if (def === undefined) throw new Error(`no setting ${key}`);
  return def;
}
