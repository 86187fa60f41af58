import { type AuditRecord, createDecoder, type RejectInfo } from '../events/index.ts';
import { editDistance } from '../fields/index.ts';
import { readEventsAt } from '../pipeline/index.ts';
import {
  type LoadMessage,
  type LoadResult,
  loadRules,
  type Position,
  type RulesSource,
  readRulesPaths,
} from '../rules/index.ts';
import { InputError } from '../sources/index.ts';
import type { RulesLoad, TestCase, TestMessage } from './model.ts';

/** Loads each distinct set of rules once per run (cases share their file's rules). */
export interface RulesLoader {
  load(load: RulesLoad): Promise<LoadResult>;
}

/** A loader that reads each rules file once and loads each distinct combination once. */
export function createRulesLoader(): RulesLoader {
  const loads = new Map<string, Promise<LoadResult>>();
  const texts = new Map<string, Promise<{ sources: RulesSource[]; errors: LoadMessage[] }>>();
  const read = (path: string) => {
    let t = texts.get(path);
    if (t === undefined) {
      t = readRulesPaths([path]);
      texts.set(path, t);
    }
    return t;
  };
  const loadNow = async (load: RulesLoad): Promise<LoadResult> => {
    const parts = await Promise.all(load.files.map(read));
    const errors = parts.flatMap((p) => p.errors);
    if (errors.length > 0) return { ...loadRules([]), ok: false, errors };
    const sources = parts.flatMap((p) => p.sources);
    if (load.overrides !== undefined) sources.push(load.overrides);
    return loadRules(sources);
  };
  return {
    load(load) {
      const key = JSON.stringify([load.files, load.overrides?.name, load.overrides?.content]);
      let p = loads.get(key);
      if (p === undefined) {
        p = loadNow(load);
        loads.set(key, p);
      }
      return p;
    },
  };
}

/** The loader's messages as test messages (each keeps its rules file:line:col). */
export function loadErrors(result: LoadResult): TestMessage[] {
  return result.errors.map((m) => {
    const at = m.locations[m.locations.length - 1]?.position;
    const item = m.locations[0];
    const where =
      item === undefined || item.itemName === '' ? '' : `In ${item.itemType} '${item.itemName}': `;
    return {
      code: 'TEST_ERR_RULES_LOAD',
      message: `${m.code}: ${where}${m.message}`,
      position: at ?? { name: '', line: 0, column: 0, offset: 0 },
      ...(m.snippet === undefined ? {} : { snippet: m.snippet }),
    };
  });
}

function closestRule(name: string, names: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDist = 4;
  for (const n of names) {
    const d = editDistance(lower, n.toLowerCase(), 3);
    if (d < bestDist) {
      best = n;
      bestDist = d;
    }
  }
  return best;
}

/** Rules the case names (under test or expected) that the load does not have. */
export function unknownRules(test: TestCase, result: LoadResult): TestMessage[] {
  const have = result.rules.map((r) => r.name);
  const known = new Set(have);
  const named: { name: string; position: Position }[] = [
    ...test.rules,
    ...test.expect.map((e) => ({ name: e.rule, position: e.position })),
  ];
  const seen = new Set<string>();
  const out: TestMessage[] = [];
  for (const { name, position } of named) {
    if (known.has(name) || seen.has(name)) continue;
    seen.add(name);
    const hint = closestRule(name, have);
    out.push({
      code: 'TEST_ERR_UNKNOWN_RULE',
      message: `no rule named '${name}' in the loaded rules${hint === undefined ? '' : `; did you mean '${hint}'?`}`,
      position,
    });
  }
  return out;
}

const NOT_AN_EVENT = 'not an audit Event, EventList or AdmissionReview';

function eventsError(message: string, position: Position): TestMessage {
  return { code: 'TEST_ERR_EVENTS', message, position };
}

function rejectMessage(r: RejectInfo, position?: Position): TestMessage {
  return {
    code: 'TEST_ERR_EVENTS',
    message: `${r.reason}: ${r.message}`,
    position: position ?? { name: r.origin, line: r.line, column: r.column ?? 1, offset: 0 },
  };
}

/** A case's events as records, as a scan would decode them, or what kept them from it. */
export async function readCaseEvents(
  test: TestCase,
): Promise<{ records: AuditRecord[]; errors: TestMessage[] }> {
  const events = test.events;
  if (events.kind === 'file') {
    try {
      const read = await readEventsAt(events.path, events.range);
      const errors = read.rejects.map((r) => rejectMessage(r));
      if (read.records.length === 0 && errors.length === 0) {
        errors.push(eventsError('no audit event on these lines', events.position));
      }
      return { records: [...read.records], errors };
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      return { records: [], errors: [eventsError(e.message, events.position)] };
    }
  }
  const records: AuditRecord[] = [];
  const errors: TestMessage[] = [];
  for (const ev of events.events) {
    const text = JSON.stringify(ev.value) ?? '';
    let rejected: RejectInfo | undefined;
    // A decoder per event: one reports only the first reject of each reason.
    const decoder = createDecoder({
      onReject: (r) => {
        rejected ??= r;
      },
    });
    const found = decoder.decodeValue(ev.value, test.file, ev.position.line, text.length);
    if (rejected !== undefined) errors.push(rejectMessage(rejected, ev.position));
    else if (found.length === 0) errors.push(eventsError(NOT_AN_EVENT, ev.position));
    // evt.num counts the case's events, as a scan counts a file's.
    for (const rec of found) records.push({ ...rec, num: records.length + 1 });
  }
  return { records, errors };
}
