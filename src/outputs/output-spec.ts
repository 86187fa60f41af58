import { OutputConfigError } from './output-errors.ts';
import { type OutputOptions, type OutputType, parseOutputOptions } from './output-spec-options.ts';

export type { OutputType } from './output-spec-options.ts';

/**
 * A parsed `--output` spec: plain data, so a config file can produce the same thing
 * (buildOutputSpec) and createOutput can turn either into an Output.
 */
export interface OutputSpec {
  readonly type: OutputType;
  /** The path, URL or command; empty for stdout. */
  readonly target: string;
  readonly options: OutputOptions;
}

const TYPES: readonly OutputType[] = ['stdout', 'file', 'http', 'program'];

function invalid(spec: string, why: string): never {
  throw new OutputConfigError('OUTPUT_SPEC_INVALID', `invalid --output '${spec}': ${why}`);
}

/** Splits `a=1,b=2` into entries; values are percent-decoded (%2C for a comma). */
function splitOptions(spec: string, text: string): [string, string | true][] {
  if (text.trim() === '') return [];
  return text.split(',').map((part): [string, string | true] => {
    const eq = part.indexOf('=');
    const key = (eq === -1 ? part : part.slice(0, eq)).trim();
    if (key === '') invalid(spec, 'an option has no name');
    if (eq === -1) return [key, true];
    try {
      return [key, decodeURIComponent(part.slice(eq + 1))];
    } catch {
      return invalid(spec, `option '${key}' has a bad %-escape`);
    }
  });
}

/**
 * Parses an `--output` spec (docs/outputs.md):
 *
 * - `stdout`, `stdout:json`, `stdout:text`
 * - `file:PATH`
 * - `http:URL`, or the URL alone (`https://sidekick:2801/`)
 * - `program:COMMAND` (run with `sh -c`)
 *
 * with options in brackets after the type, comma-separated, values %-escaped where they
 * hold `,` or `]`: `http[min-priority=warning,header=Authorization: Bearer x]:https://h/`.
 * Options sit apart from the target so that URLs, paths and commands are taken verbatim
 * (a URL's own query string goes to the receiver). Throws OutputConfigError
 * (OUTPUT_SPEC_INVALID) with a message that says what is wrong.
 *
 * @example
 * parseOutputSpec('file[mode=0640]:/var/log/kaudit/alerts.json');
 * // { type: 'file', target: '/var/log/kaudit/alerts.json', options: { mode: 0o640 } }
 */
export function parseOutputSpec(spec: string): OutputSpec {
  if (/^https?:\/\//i.test(spec)) return buildOutputSpec('http', spec, [], spec);
  const m = /^([a-z]+)(?:\[([^\]]*)\])?(?::([\s\S]*))?$/.exec(spec);
  if (m === null) {
    return invalid(
      spec,
      'expected TYPE[OPTIONS]:TARGET, e.g. file:alerts.json or http:https://host/',
    );
  }
  const [, type = '', opts = '', target] = m;
  if (!(TYPES as readonly string[]).includes(type)) {
    return invalid(spec, `unknown output type '${type}' (expected ${TYPES.join(', ')})`);
  }
  const entries = splitOptions(spec, opts);
  if (type === 'stdout' && target !== undefined) {
    if (target !== 'json' && target !== 'text') {
      return invalid(spec, `stdout takes json or text after the colon (got '${target}')`);
    }
    entries.unshift(['format', target]);
    return buildOutputSpec('stdout', '', entries, spec);
  }
  return buildOutputSpec(type as OutputType, target ?? '', entries, spec);
}

/**
 * Builds a spec from its parts, checking them as parseOutputSpec does: for a config
 * file whose entries name the type, the target and the same options
 * (`{type: http, url: ..., min-priority: warning}`). `spec` names the origin in messages.
 */
export function buildOutputSpec(
  type: OutputType,
  target: string,
  entries: readonly (readonly [string, string | true])[],
  spec = `${type}:${target}`,
): OutputSpec {
  if (type === 'stdout') {
    if (target !== '') invalid(spec, 'stdout takes no target');
  } else if (target.trim() === '') {
    const what = { file: 'a path', http: 'a URL', program: 'a command' }[type];
    invalid(
      spec,
      `${type} needs ${what}: ${type}:${what === 'a URL' ? 'URL' : what.slice(2).toUpperCase()}`,
    );
  }
  if (type === 'http' && !/^https?:\/\//i.test(target)) {
    invalid(spec, `http needs an http:// or https:// URL (got '${target}')`);
  }
  try {
    return { type, target, options: parseOutputOptions(type, entries) };
  } catch (err) {
    if (err instanceof OutputConfigError) invalid(spec, err.message);
    throw err;
  }
}
