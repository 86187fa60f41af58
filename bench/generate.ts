// Seeded generator of realistic kube-apiserver audit logs (one audit.k8s.io/v1 Event per
// line). Usage: npx tsx bench/generate.ts --mix busy --events 200000 --seed 1 > file
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type AuditLevel, type RequestSpec, renderEvent } from './gen/event.ts';
import { createRng, stringifyLikeGo } from './gen/prng.ts';
import { ATTACKS, BUSY_TRAFFIC } from './gen/scenarios.ts';

/** `metadata`: Metadata level only; `busy`: bodies on writes; `rr-heavy`: bodies everywhere. */
export type Mix = 'metadata' | 'busy' | 'rr-heavy';

export const MIXES: readonly Mix[] = ['metadata', 'busy', 'rr-heavy'];

export interface GenerateOptions {
  readonly mix: Mix;
  readonly events: number;
  readonly seed: number;
  /** Share of events that are attacks Falco's k8s_audit rules detect; default 0.002. */
  readonly attackShare?: number;
  /** Share of requests also logged at stage RequestReceived; default 0.06. */
  readonly requestReceivedShare?: number;
}

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

function levelFor(mix: Mix, spec: RequestSpec): AuditLevel {
  if (mix === 'metadata') return 'Metadata';
  if (mix === 'rr-heavy') return 'RequestResponse';
  return WRITE_VERBS.has(spec.verb) ? 'RequestResponse' : 'Metadata';
}

/**
 * Yields `events` JSON lines (no newline), deterministic for a given seed and options,
 * with kube-apiserver's member order and Go's escaping of `<`, `>`, `&`.
 *
 * @example for (const line of generateEvents({ mix: 'busy', events: 10, seed: 1 })) console.log(line);
 */
export function* generateEvents(opts: GenerateOptions): Generator<string> {
  const rng = createRng(opts.seed);
  const attackShare = opts.attackShare ?? 0.002;
  const rrShare = opts.requestReceivedShare ?? 0.06;
  let tUs = 0;
  let made = 0;
  while (made < opts.events) {
    tUs += 50 + rng.int(2_000);
    const t = `2026-11-02T10:00:00.${String(tUs % 1_000_000).padStart(6, '0')}Z`;
    const spec =
      rng.next() < attackShare ? rng.pick(ATTACKS)(rng, t) : rng.weighted(BUSY_TRAFFIC)(rng, t);
    const level = levelFor(opts.mix, spec);
    if (spec.stage === undefined && rng.next() < rrShare) {
      yield stringifyLikeGo(renderEvent(rng, { ...spec, stage: 'RequestReceived' }, level, tUs));
      if (++made >= opts.events) return;
    }
    yield stringifyLikeGo(renderEvent(rng, spec, level, tUs));
    made++;
  }
}

/** Writes the events to a stream, one per line, honouring backpressure. */
export async function writeEvents(
  opts: GenerateOptions,
  out: NodeJS.WritableStream,
): Promise<void> {
  let buf = '';
  for (const line of generateEvents(opts)) {
    buf += `${line}\n`;
    // Batched writes: one write per line costs more than generating the line.
    if (buf.length >= 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  if (buf.length > 0 && !out.write(buf)) await once(out, 'drain');
}

function parseMix(s: string): Mix {
  if ((MIXES as readonly string[]).includes(s)) return s as Mix;
  throw new Error(`--mix must be one of ${MIXES.join(', ')}`);
}

async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      mix: { type: 'string', default: 'busy' },
      events: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '1' },
      'attack-share': { type: 'string' },
    },
  });
  const attack = values['attack-share'];
  await writeEvents(
    {
      mix: parseMix(values.mix),
      events: Number(values.events),
      seed: Number(values.seed),
      ...(attack !== undefined ? { attackShare: Number(attack) } : {}),
    },
    process.stdout,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`generate: ${(err as Error).message}\n`);
    process.exitCode = 2;
  });
}
