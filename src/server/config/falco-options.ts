import { parse } from 'yaml';
import { ConfigError } from './load-config.ts';

/** One step of an override's key path: a mapping key, a list index, or `[]` (append). */
export type KeyStep = string | number | { readonly append: true };

/** A parsed `-o key=value`: where, and the value as YAML reads it. */
export interface FalcoOverride {
  readonly path: readonly KeyStep[];
  readonly value: unknown;
  /** The option as written, for messages. */
  readonly text: string;
}

const STEP = /^([A-Za-z_][\w-]*)((?:\[\d*\])*)$/;

function badOverride(text: string, why: string): ConfigError {
  return new ConfigError('CONFIG_VALUE', `-o ${text}: ${why}`);
}

/**
 * Parses Falco's `-o key=value`: a dotted key path whose steps may carry list indexes
 * (`plugins[0].open_params`) or `[]` to append (`rules[].disable.rule`), and a value read
 * as YAML, so `true`, `False`, `5`, `[a, b]` and `{a: 1}` are typed as Falco reads them.
 *
 * @example parseFalcoOverride('http_output.url=http://sidekick:2801/')
 */
export function parseFalcoOverride(text: string): FalcoOverride {
  const eq = text.indexOf('=');
  if (eq <= 0) throw badOverride(text, 'expected key=value (e.g. -o json_output=true)');
  const key = text.slice(0, eq);
  const path: KeyStep[] = [];
  for (const part of key.split('.')) {
    const m = STEP.exec(part);
    if (m === null) throw badOverride(text, `'${part}' is not a key (letters, digits, _ and -)`);
    path.push(m[1] as string);
    for (const idx of (m[2] ?? '').match(/\[\d*\]/g) ?? []) {
      path.push(idx === '[]' ? { append: true } : Number(idx.slice(1, -1)));
    }
  }
  const raw = text.slice(eq + 1);
  let value: unknown;
  try {
    value = parse(raw);
  } catch {
    // Not YAML on its own (`*`, `&x`): the text as it is, as a shell user means it.
    value = raw;
  }
  return { path, value: value ?? '', text };
}

type Container = Record<string, unknown> | unknown[];

function child(parent: Container, step: KeyStep, next: KeyStep | undefined): Container {
  const fresh = (): Container => (typeof next === 'string' ? {} : []);
  if (typeof step === 'object') {
    const list = parent as unknown[];
    const made = fresh();
    list.push(made);
    return made;
  }
  const p = parent as Record<string | number, unknown>;
  const cur = p[step];
  if (typeof cur === 'object' && cur !== null) return cur as Container;
  const made = fresh();
  p[step] = made;
  return made;
}

/**
 * Applies overrides to a configuration document in order, creating what is missing, as
 * Falco's yaml_helper does: a later override of the same key wins, `[]` appends.
 */
export function applyOverrides(
  doc: Record<string, unknown>,
  overrides: readonly FalcoOverride[],
): Record<string, unknown> {
  for (const o of overrides) {
    let at: Container = doc;
    for (let i = 0; i < o.path.length - 1; i++) {
      const step = o.path[i] as KeyStep;
      const next = o.path[i + 1];
      if (typeof step === 'string' && Array.isArray(at)) {
        throw badOverride(o.text, `'${step}' names a key of a list`);
      }
      if (typeof step !== 'string' && !Array.isArray(at)) {
        throw badOverride(o.text, 'an index of something that is not a list');
      }
      at = child(at, step, next);
    }
    const last = o.path[o.path.length - 1] as KeyStep;
    if (typeof last === 'object') {
      if (!Array.isArray(at))
        throw badOverride(o.text, '[] appends to something that is not a list');
      at.push(o.value);
    } else if (Array.isArray(at) !== (typeof last === 'number')) {
      throw badOverride(o.text, 'the key does not fit what it is in');
    } else {
      (at as Record<string | number, unknown>)[last] = o.value;
    }
  }
  return doc;
}

/** falco.yaml's json_include_* keys: which properties a JSON alert carries. */
export interface JsonIncludes {
  readonly includeOutput?: boolean;
  readonly includeTags?: boolean;
  readonly includeMessage?: boolean;
  readonly includeOutputFields?: boolean;
}

/** falco.yaml's keys that kaudit honours, read from a configuration document. */
export interface FalcoSettings extends JsonIncludes {
  readonly jsonOutput?: boolean;
  readonly isoTime?: boolean;
  readonly minPriority?: string;
  readonly ruleMatching?: string;
  readonly rules?: readonly string[];
  /** Output specs of the enabled `*_output` sections, when any section is named. */
  readonly outputs?: readonly string[];
}

/** falco.yaml key → the FalcoSettings property, for the boolean keys. */
export const FALCO_BOOLEAN_KEYS = {
  json_output: 'jsonOutput',
  json_include_output_property: 'includeOutput',
  json_include_tags_property: 'includeTags',
  json_include_message_property: 'includeMessage',
  json_include_output_fields_property: 'includeOutputFields',
  time_format_iso_8601: 'isoTime',
} as const;

/** The `*_output` sections and the key that names their target. */
const OUTPUT_SECTIONS = [
  ['stdout_output', 'stdout', undefined],
  ['file_output', 'file', 'filename'],
  ['program_output', 'program', 'program'],
  ['http_output', 'http', 'url'],
] as const;

function bool(doc: Record<string, unknown>, key: string, where: string): boolean | undefined {
  const v = doc[key];
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  throw new ConfigError('CONFIG_VALUE', `${where}: '${key}' must be true or false`);
}

function text(doc: Record<string, unknown>, key: string, where: string): string | undefined {
  const v = doc[key];
  if (v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  throw new ConfigError('CONFIG_VALUE', `${where}: '${key}' must be a single value`);
}

function section(doc: Record<string, unknown>, key: string, where: string) {
  const v = doc[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new ConfigError('CONFIG_VALUE', `${where}: '${key}' must be a mapping`);
  }
  return v as Record<string, unknown>;
}

/**
 * The outputs falco.yaml's sections enable: stdout, a file, a program, an HTTP receiver
 * (falcosidekick), each when its `enabled` is true. Undefined when no section is named.
 */
function outputsOf(doc: Record<string, unknown>, where: string): string[] | undefined {
  let named = false;
  const out: string[] = [];
  for (const [key, type, target] of OUTPUT_SECTIONS) {
    const s = section(doc, key, where);
    if (s === undefined) continue;
    named = true;
    if (bool(s, 'enabled', `${where} ${key}`) !== true) continue;
    if (target === undefined) {
      out.push(type);
      continue;
    }
    const t = text(s, target, `${where} ${key}`);
    if (t === undefined || t === '') {
      throw new ConfigError(
        'CONFIG_VALUE',
        `${where}: '${key}.${target}' is needed when it is enabled`,
      );
    }
    out.push(`${type}:${t}`);
  }
  return named ? out : undefined;
}

/**
 * Reads falco.yaml's keys that kaudit honours (the JSON alert's properties, ISO times,
 * `priority`, `rule_matching`, `rules_files`, the output sections) from a document such
 * as `-o` overrides build. `where` names the document in messages.
 */
export function readFalcoSettings(doc: Record<string, unknown>, where: string): FalcoSettings {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(FALCO_BOOLEAN_KEYS)) {
    const v = bool(doc, key, where);
    if (v !== undefined) out[prop] = v;
  }
  const priority = text(doc, 'priority', where);
  if (priority !== undefined) out.minPriority = priority;
  const matching = text(doc, 'rule_matching', where);
  if (matching !== undefined) out.ruleMatching = matching;
  const rules = doc.rules_files;
  if (rules !== undefined) {
    const list = Array.isArray(rules) ? rules : [rules];
    if (!list.every((r) => typeof r === 'string')) {
      throw new ConfigError('CONFIG_VALUE', `${where}: 'rules_files' must be a list of paths`);
    }
    out.rules = list;
  }
  const outputs = outputsOf(doc, where);
  if (outputs !== undefined) out.outputs = outputs;
  return out as FalcoSettings;
}

/** The json_include_* of settings as alert format options (only those that are set). */
export function jsonIncludes(s: JsonIncludes): JsonIncludes {
  const out: { -readonly [K in keyof JsonIncludes]: boolean } = {};
  if (s.includeOutput !== undefined) out.includeOutput = s.includeOutput;
  if (s.includeTags !== undefined) out.includeTags = s.includeTags;
  if (s.includeMessage !== undefined) out.includeMessage = s.includeMessage;
  if (s.includeOutputFields !== undefined) out.includeOutputFields = s.includeOutputFields;
  return out;
}
