import { dirname, resolve } from 'node:path';
import { isScalar, isSeq, type Node } from 'yaml';
import type { RuleMatching } from '../engine/index.ts';
import type { LineRange } from '../pipeline/index.ts';
import type {
  CaseEvents,
  Expectation,
  ExpectedValue,
  InlineEvent,
  RulesLoad,
  TestCase,
} from './model.ts';
import {
  plainValue,
  positionOf,
  type ReadContext,
  readChoice,
  readCount,
  readMap,
  readPairs,
  readString,
  readStrings,
  report,
} from './yaml-read.ts';

const CASE_KEYS = [
  'name',
  'rule',
  'events',
  'events_file',
  'lines',
  'rules_files',
  'override_files',
  'overrides',
  'rule_matching',
  'expect',
] as const;
const EXPECT_KEYS = ['rule', 'count', 'output_fields'] as const;
/** Events one case may hold: tests are examples, not logs. */
const MAX_CASE_EVENTS = 1000;

/** What a case inherits from its file. */
export interface CaseDefaults {
  readonly rulesFiles: readonly string[];
  readonly ruleMatching: RuleMatching;
}

type Entries = NonNullable<ReturnType<typeof readMap>>;

function paths(ctx: ReadContext, node: Node | null, what: string): string[] {
  const dir = dirname(ctx.file.name);
  return readStrings(ctx, node, what).map((p) => resolve(dir, p.value));
}

/** `12`, `12-20` or `12-` (to the end). */
function readLines(ctx: ReadContext, node: Node | null): LineRange | undefined {
  if (node === null) return { from: 1 };
  const text = isScalar(node) ? String(node.value) : '';
  const m = /^(\d+)(?:\s*-\s*(\d*))?$/.exec(text.trim());
  const from = Number(m?.[1] ?? 0);
  const to = m?.[2] === undefined ? from : m[2] === '' ? undefined : Number(m[2]);
  if (m === null || from < 1 || (to !== undefined && to < from)) {
    report(ctx, node, 'TEST_ERR_VALIDATE', "lines must be a line number or a range such as '3-7'");
    return undefined;
  }
  return to === undefined ? { from } : { from, to };
}

function readEvents(ctx: ReadContext, e: Entries, caseNode: Node): CaseEvents | undefined {
  const inline = e.get('events');
  const file = e.get('events_file');
  if ((inline === undefined) === (file === undefined)) {
    report(ctx, caseNode, 'TEST_ERR_VALIDATE', "a test needs either 'events' or 'events_file'");
    return undefined;
  }
  if (file !== undefined) {
    const path = paths(ctx, file.value, 'events_file')[0];
    const range = readLines(ctx, e.get('lines')?.value ?? null);
    if (path === undefined || range === undefined) return undefined;
    return { kind: 'file', path, range, position: positionOf(ctx, file.value) };
  }
  if (e.has('lines')) {
    report(ctx, e.get('lines')?.key, 'TEST_ERR_VALIDATE', "'lines' goes with 'events_file'");
  }
  const node = inline?.value ?? null;
  if (!isSeq(node) || node.items.length === 0 || node.items.length > MAX_CASE_EVENTS) {
    report(
      ctx,
      node,
      'TEST_ERR_VALIDATE',
      `events must be a list of 1 to ${MAX_CASE_EVENTS} events`,
    );
    return undefined;
  }
  const events: InlineEvent[] = [];
  for (const item of node.items as Node[]) {
    const value = plainValue(ctx, item);
    if (value === undefined) return undefined;
    events.push({ value, position: positionOf(ctx, item) });
  }
  return { kind: 'inline', events };
}

function readFieldValue(ctx: ReadContext, node: Node | null): ExpectedValue | undefined {
  if (node === null || (isScalar(node) && node.value === null)) return null;
  if (isScalar(node)) return String(node.value);
  if (isSeq(node) && node.items.every((i) => isScalar(i))) {
    return (node.items as { value: unknown }[]).map((i) => String(i.value));
  }
  report(ctx, node, 'TEST_ERR_VALIDATE', 'an output field value must be a string, a list or null');
  return undefined;
}

function readExpectation(ctx: ReadContext, node: Node): Expectation | undefined {
  const e = readMap(ctx, node, 'an expectation', EXPECT_KEYS);
  if (e === undefined) return undefined;
  const rule = readString(ctx, e.get('rule')?.value ?? null, 'expect: rule');
  const countNode = e.get('count');
  const count = countNode === undefined ? 1 : readCount(ctx, countNode.value, 'count', 0);
  const outputFields = new Map<string, ExpectedValue>();
  const fields = e.get('output_fields');
  if (fields !== undefined) {
    for (const pair of readPairs(ctx, fields.value, 'output_fields') ?? []) {
      const v = readFieldValue(ctx, pair.value);
      if (v !== undefined) outputFields.set(pair.key, v);
    }
  }
  if (rule === undefined || count === undefined) return undefined;
  return { rule, count, outputFields, position: positionOf(ctx, node) };
}

function readLoad(ctx: ReadContext, e: Entries, defaults: CaseDefaults): RulesLoad {
  const base = e.has('rules_files')
    ? paths(ctx, e.get('rules_files')?.value ?? null, 'rules_files')
    : defaults.rulesFiles;
  const extra = e.has('override_files')
    ? paths(ctx, e.get('override_files')?.value ?? null, 'override_files')
    : [];
  const inline = e.get('overrides')?.value ?? null;
  if (inline === null) return { files: [...base, ...extra] };
  if (!isSeq(inline)) {
    report(ctx, inline, 'TEST_ERR_VALIDATE', 'overrides must be a list of rules items');
    return { files: [...base, ...extra] };
  }
  return { files: [...base, ...extra], overrides: overridesSource(ctx, inline) };
}

/**
 * The `overrides:` items as a rules file whose text is the tests file with everything
 * else blanked (newlines kept): the loader then reports problems at their line and
 * column in the tests file itself.
 */
function overridesSource(ctx: ReadContext, node: Node): { name: string; content: string } {
  const [start, end] = [node.range?.[0] ?? 0, node.range?.[1] ?? 0];
  const text = ctx.file.content;
  const blank = (s: string): string => s.replace(/[^\n\r]/g, ' ');
  return {
    name: ctx.file.name,
    content: blank(text.slice(0, start)) + text.slice(start, end) + blank(text.slice(end)),
  };
}

/** Reads one `tests:` item; reports what is wrong and returns undefined when unusable. */
export function readCase(
  ctx: ReadContext,
  node: Node,
  defaults: CaseDefaults,
): TestCase | undefined {
  const e = readMap(ctx, node, 'a test', CASE_KEYS);
  if (e === undefined) return undefined;
  const name = readString(ctx, e.get('name')?.value ?? null, 'name');
  const ruleNode = e.get('rule');
  if (ruleNode === undefined) {
    report(ctx, node, 'TEST_ERR_VALIDATE', "a test needs 'rule': the rule (or rules) it tests");
  }
  const rules = ruleNode === undefined ? [] : readStrings(ctx, ruleNode.value, 'rule');
  const events = readEvents(ctx, e, node);
  const matchingNode = e.get('rule_matching');
  const ruleMatching =
    matchingNode === undefined
      ? defaults.ruleMatching
      : readChoice(ctx, matchingNode.value, 'rule_matching', ['all', 'first'] as const);
  const expectNode = e.get('expect')?.value ?? null;
  if (!isSeq(expectNode) || expectNode.items.length === 0) {
    report(
      ctx,
      expectNode ?? node,
      'TEST_ERR_VALIDATE',
      "a test needs 'expect': a list of {rule, count}",
    );
  }
  const expect = isSeq(expectNode)
    ? (expectNode.items as Node[]).map((x) => readExpectation(ctx, x))
    : [];
  const load = readLoad(ctx, e, defaults);
  if (
    name === undefined ||
    events === undefined ||
    ruleMatching === undefined ||
    rules.length === 0 ||
    expect.length === 0 ||
    expect.some((x) => x === undefined)
  ) {
    return undefined;
  }
  return {
    name,
    file: ctx.file.name,
    position: positionOf(ctx, node),
    rules: rules.map((r) => ({ name: r.value, position: positionOf(ctx, r.node) })),
    events,
    load,
    ruleMatching,
    expect: expect as Expectation[],
  };
}
