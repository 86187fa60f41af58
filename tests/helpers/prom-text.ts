/** One sample of a Prometheus text exposition. */
export interface PromSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A parsed exposition: samples, and each family's declared type. */
export interface PromText {
  readonly samples: readonly PromSample[];
  readonly types: ReadonlyMap<string, string>;
  /** Sum of the samples named `name` whose labels include `labels` (0 when none). */
  value(name: string, labels?: Readonly<Record<string, string>>): number;
  /** Whether a sample named `name` with those labels exists. */
  has(name: string, labels?: Readonly<Record<string, string>>): boolean;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseLabels(text: string, line: string): Record<string, string> {
  const out: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const m = LABEL.exec(text);
    if (m === null) throw new Error(`bad labels in: ${line}`);
    out[m[1] as string] = (m[2] as string).replace(/\\(.)/g, (_s, c: string) =>
      c === 'n' ? '\n' : c,
    );
  }
  return out;
}

/** The family a sample belongs to: histograms and summaries add suffixes. */
function familyOf(name: string, types: ReadonlyMap<string, string>): string | undefined {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count|total|created)$/, '');
  return types.has(base) ? base : undefined;
}

/**
 * Parses the Prometheus text format (version 0.0.4) strictly: every line a comment, a
 * `# HELP`/`# TYPE` line or a sample; every sample of a family with a `# TYPE`. Throws
 * with the offending line otherwise, so a test sees a malformed exposition.
 */
export function parsePromText(text: string): PromText {
  const samples: PromSample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const t = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (t !== null) {
        if (!TYPES.has(t[2] as string)) throw new Error(`unknown metric type in: ${line}`);
        types.set(t[1] as string, t[2] as string);
      } else if (!/^# HELP \S+ /.test(line)) throw new Error(`bad comment line: ${line}`);
      continue;
    }
    const m = SAMPLE.exec(line);
    if (m === null) throw new Error(`bad sample line: ${line}`);
    const name = m[1] as string;
    if (familyOf(name, types) === undefined) throw new Error(`sample without # TYPE: ${line}`);
    const raw = m[3] as string;
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
    if (Number.isNaN(value) && raw !== 'NaN') throw new Error(`bad value in: ${line}`);
    samples.push({ name, labels: parseLabels(m[2] ?? '', line), value });
  }
  const matching = (name: string, labels: Readonly<Record<string, string>> = {}) =>
    samples.filter(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    );
  return {
    samples,
    types,
    value: (name, labels) => matching(name, labels).reduce((n, s) => n + s.value, 0),
    has: (name, labels) => matching(name, labels).length > 0,
  };
}
