/**
 * The only way generated JavaScript is built. A `Code` is trusted source text; anything
 * else spliced into the `js` template is embedded as a literal through safeStringify, so
 * attacker-controlled text (every audit-event field, every rule literal) can never become
 * code.
 */
export class Code {
  readonly #text: string;
  constructor(text: string, _token: typeof CODE_TOKEN) {
    this.#text = text;
  }
  toString(): string {
    return this.#text;
  }
}

// Only this module can mint Code from raw text.
const CODE_TOKEN: unique symbol = Symbol('code');

function raw(text: string): Code {
  return new Code(text, CODE_TOKEN);
}

/**
 * JSON.stringify plus escaping of the characters that are valid in JSON but not safe in
 * generated source: U+2028/U+2029 (line terminators in older engines) and `</` (so the
 * source can be shown inside HTML). `undefined` and bigints get their JS spellings.
 */
export function safeStringify(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number' && !Number.isFinite(v)) {
    return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  }
  const s = JSON.stringify(v);
  if (s === undefined) throw new TypeError(`cannot embed a ${typeof v} in generated code`);
  return s
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
    .replace(/<\//g, '<\\/');
}

/**
 * Tagged template for generated code: `js\`if (${cond}) { ${m}.push(${i}); }\``. Code
 * values are spliced as source; every other value becomes a literal.
 */
export function js(strings: TemplateStringsArray, ...values: unknown[]): Code {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out += v instanceof Code ? v.toString() : safeStringify(v);
    out += strings[i + 1] ?? '';
  }
  return raw(out);
}

const SEPARATOR_RE = /^[\s,;|&+]*$/;

/** Joins code parts with a separator made of blanks and `, ; | & +` only. */
export function joinCode(parts: readonly Code[], sep: string): Code {
  if (!SEPARATOR_RE.test(sep)) throw new TypeError(`unsafe code separator ${JSON.stringify(sep)}`);
  return raw(parts.map((p) => p.toString()).join(sep));
}

const NAME_RE = /^[A-Za-z_$][\w$]*$/;

/** A JS identifier as Code; throws when `name` is not a plain identifier. */
export function codeName(name: string): Code {
  if (!NAME_RE.test(name)) throw new TypeError(`not an identifier: ${JSON.stringify(name)}`);
  return raw(name);
}
