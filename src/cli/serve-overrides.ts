import {
  applyOverrides,
  type FalcoOverride,
  parseFalcoOverride,
  readFalcoSettings,
} from '../server/config/falco-options.ts';
import {
  ConfigError,
  type RawValue,
  settingByKey,
  type ValueOrigin,
} from '../server/config/load-config.ts';
import type { SettingDef } from '../server/config/settings.ts';

type Layer = Map<string, { value: RawValue; origin: ValueOrigin }>;

/** The falco.yaml sections `-o` may set on serve beyond its own settings: the outputs. */
const FALCO_SERVE_KEYS: ReadonlySet<string> = new Set([
  'stdout_output',
  'file_output',
  'program_output',
  'http_output',
]);

/** A value `-o` gives a setting, as the config file would hold it. */
function rawOf(value: unknown, text: string): RawValue {
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) return value.map(String);
  throw new ConfigError('CONFIG_VALUE', `-o ${text}: expected a value or a list of values`);
}

/** `-o key[]=v`: the list as it stands so far (an earlier -o, the variable, the file) plus v. */
function appended(def: SettingDef, ov: FalcoOverride, out: Layer, below: readonly Layer[]) {
  if (def.type !== 'list') {
    throw new ConfigError('CONFIG_VALUE', `-o ${ov.text}: '${def.key}' is not a list`);
  }
  const prev =
    out.get(def.key) ??
    [...below]
      .reverse()
      .find((l) => l.has(def.key))
      ?.get(def.key);
  const v = prev?.value;
  const items = v === undefined ? [] : typeof v === 'string' ? [v] : Array.isArray(v) ? [...v] : [];
  return [...items, String(rawOf(ov.value, ov.text))];
}

/** falco.yaml's output sections set with -o, as the outputs they enable. */
function falcoOutputs(falco: readonly FalcoOverride[], out: Layer): void {
  const unknown = falco.find((f) => !FALCO_SERVE_KEYS.has(String(f.path[0])));
  if (unknown !== undefined) {
    throw new ConfigError(
      'CONFIG_KEY',
      `-o ${unknown.text}: unknown setting '${String(unknown.path[0])}'`,
    );
  }
  const s = readFalcoSettings(applyOverrides({}, falco), '-o');
  if (s.outputs !== undefined) {
    out.set('outputs', { value: [...s.outputs], origin: { kind: 'flag', where: '-o *_output' } });
  }
}

/**
 * `kaudit serve -o key=value` as a settings layer (over the file and the variables, under
 * the flags): a key of kaudit.yaml or its falco.yaml spelling (`-o priority=warning`,
 * `-o json_include_tags_property=false`), `key[]=v` to append to a list setting, and
 * falco.yaml's output sections (`-o http_output.enabled=true -o http_output.url=URL`),
 * which replace the outputs as they would in Falco. Throws ConfigError.
 *
 * @example overrideSettings(['minPriority=warning', 'outputs[]=file:/x'], fileLayer, envLayer)
 */
export function overrideSettings(options: readonly string[], ...below: Layer[]): Layer {
  const out: Layer = new Map();
  const falco: FalcoOverride[] = [];
  for (const text of options) {
    const ov = parseFalcoOverride(text);
    const [first, second] = ov.path;
    const def = typeof first === 'string' ? settingByKey(first) : undefined;
    const plain = ov.path.length === 1 || (ov.path.length === 2 && typeof second === 'object');
    if (def === undefined || !plain) {
      falco.push(ov);
      continue;
    }
    const origin: ValueOrigin = { kind: 'flag', where: `-o ${text}` };
    const value = second === undefined ? rawOf(ov.value, text) : appended(def, ov, out, below);
    out.set(def.key, { value, origin });
  }
  if (falco.length > 0) falcoOutputs(falco, out);
  return out;
}
