import type { LoadMessage, LoadResult } from '../../../src/rules/types.ts';
import { stringLiterals, type ValidationCase } from './cases.ts';

/** The outcome of mapping a case's assertions onto a load result. */
export interface CaseCheck {
  /** Assertions we could express against our load result. */
  mapped: number;
  /** Assertions with no counterpart here (event detection, stdout, describe_rule JSON…). */
  unmapped: string[];
  failures: string[];
}

// Message texts written by the condition language or the YAML library, not the loader:
// ours are worded differently, so only code and item are compared for these codes.
const FOREIGN_TEXT_CODES = new Set([
  'LOAD_ERR_YAML_PARSE',
  'LOAD_ERR_COMPILE_CONDITION',
  'LOAD_ERR_COMPILE_OUTPUT',
  'LOAD_UNKNOWN_FILTER',
]);

// Messages of the 2023 Python suite that Falco has since reworded (rule_loading_messages.h).
const CURRENT_WORDING: Readonly<Record<string, string>> = {
  "List has 'append' key but no list by that name already exists":
    "List uses 'append' or 'override.items: append' but no list by that name already exists",
  "Macro has 'append' key but no macro by that name already exists":
    "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists",
  "Rule has 'append' key but no rule by that name already exists":
    "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists",
  // Engine versions are semver now: `required_engine_version: 9999999` means 0.9999999.0,
  // and a non-number is reported by the semver parse rather than the integer decode.
  "Can't decode YAML scalar value":
    'Unable to parse engine version \'not-a-number\' as a semver string. Expected "x.y.z" semver format.',
  'Rules require engine version 9999999, but engine version is':
    'Rules require engine version 0.9999999.0, but engine version is',
};

// Codes the 2023 Python suite used under older names (falco_load_result.h renamed them).
const CURRENT_CODE: Readonly<Record<string, string>> = {
  LOAD_UNKNOWN_FIELD: 'LOAD_UNKNOWN_FILTER',
};

interface MessageQuery {
  code?: string;
  itemType?: string;
  itemName?: string;
  message?: string;
  contains?: string;
}

function matches(m: LoadMessage, q: MessageQuery): boolean {
  if (q.code !== undefined && m.code !== (CURRENT_CODE[q.code] ?? q.code)) return false;
  if (q.itemType !== undefined || q.itemName !== undefined) {
    const hit = m.locations.some(
      (l) =>
        (q.itemType === undefined || l.itemType === q.itemType) &&
        (q.itemName === undefined || l.itemName === q.itemName),
    );
    if (!hit) return false;
  }
  const foreign = FOREIGN_TEXT_CODES.has(m.code);
  if (q.message !== undefined && !foreign) {
    const want = CURRENT_WORDING[q.message] ?? q.message;
    if (m.message !== want) return false;
  }
  if (q.contains !== undefined && !foreign) {
    if (!m.message.includes(CURRENT_WORDING[q.contains] ?? q.contains)) return false;
  }
  return true;
}

function describe(result: LoadResult): string {
  const show = (m: LoadMessage): string =>
    `${m.code} [${m.locations.map((l) => `${l.itemType}:${l.itemName}`).join(' > ')}] ${m.message}`;
  return [
    ...result.errors.map((m) => `E ${show(m)}`),
    ...result.warnings.map((m) => `W ${show(m)}`),
  ].join('\n');
}

function expectBool(
  check: CaseCheck,
  what: string,
  want: boolean,
  got: boolean,
  result: LoadResult,
): void {
  check.mapped++;
  if (want !== got)
    check.failures.push(`${what}: expected ${want}, got ${got}\n${describe(result)}`);
}

function checkA(a: string, result: LoadResult, check: CaseCheck): void {
  const truth = /^(ASSERT|EXPECT)_TRUE/.test(a)
    ? true
    : /^(ASSERT|EXPECT)_FALSE/.test(a)
      ? false
      : undefined;
  const lits = stringLiterals(a);
  if (truth !== undefined && /^\w+\(\s*load_rules\(/.test(a)) {
    expectBool(check, a, truth, result.ok, result);
  } else if (truth !== undefined && /m_load_result->successful\(\)/.test(a)) {
    expectBool(check, a, truth, result.ok, result);
  } else if (truth !== undefined && /check_(error|warning)_message\(/.test(a)) {
    const list = /check_error_message/.test(a) ? result.errors : result.warnings;
    const text = lits[lits.length - 1] ?? '';
    expectBool(
      check,
      a,
      truth,
      list.some((m) => m.message.includes(text)),
      result,
    );
  } else if (truth !== undefined && /has_warnings\(\)/.test(a)) {
    expectBool(check, a, truth, result.warnings.length > 0, result);
  } else if (/get_compiled_rule_condition\(/.test(a) && lits.length >= 2) {
    check.mapped++;
    const rule = result.rules.find((r) => r.name === lits[0]);
    const want = lits.slice(1).join('');
    if (rule?.compiledCondition !== want) {
      check.failures.push(`${a}\n  got: ${rule?.compiledCondition}\n${describe(result)}`);
    }
  } else if (/num_rules_for_ruleset\(\),\s*(\d+)\)/.test(a)) {
    check.mapped++;
    const want = Number(/num_rules_for_ruleset\(\),\s*(\d+)\)/.exec(a)?.[1]);
    const got = result.rules.filter((r) => r.enabled).length;
    if (want !== got) check.failures.push(`${a}: got ${got}`);
  } else if (/\["errors"\]\[0\]\["context"\]\["snippet"\]/.test(a) && lits.length > 0) {
    check.mapped++;
    const text = lits[lits.length - 1] ?? '';
    if (!(result.errors[0]?.snippet ?? '').includes(text)) {
      check.failures.push(`${a}: snippet was ${result.errors[0]?.snippet}`);
    }
  } else if (!checkDescription(a, lits, result, check) && !/ASSERT_VALIDATION_STATUS/.test(a)) {
    check.unmapped.push(a);
  }
}

// describe_rule() JSON: the parts our LoadResult carries (rule output/desc/priority, the
// compiled lists, the number of rules).
function checkDescription(
  a: string,
  lits: string[],
  result: LoadResult,
  check: CaseCheck,
): boolean {
  const info =
    /rule_description\["rules"\]\[(\d+)\]\["info"\]\["(output|description|priority)"\]/.exec(a);
  const want = lits[lits.length - 1];
  if (info !== null && want !== undefined) {
    const rule = result.rules[Number(info[1])];
    const got =
      info[2] === 'output' ? rule?.output : info[2] === 'description' ? rule?.desc : rule?.priority;
    check.mapped++;
    if (got !== want) check.failures.push(`${a}: got ${got}`);
    return true;
  }
  const size = /rule_description\["(rules|lists)"\]\.size\(\), (\d+)\)/.exec(a);
  if (size !== null) {
    const got = size[1] === 'rules' ? result.rules.length : result.lists.size;
    check.mapped++;
    if (got !== Number(size[2])) check.failures.push(`${a}: got ${got}`);
    return true;
  }
  const item = /\["lists"\]\[0\]\["details"\]\["items_compiled"\]\[(\d+)\]/.exec(a);
  if (item !== null && want !== undefined) {
    const got = [...result.lists.values()][0]?.[Number(item[1])];
    check.mapped++;
    if (got !== want) check.failures.push(`${a}: got ${got}`);
    return true;
  }
  return false;
}

function checkB(a: string, result: LoadResult, check: CaseCheck): void {
  if (/^assert\.NoError\(t, res\.Err\(\)/.test(a)) expectBool(check, a, true, result.ok, result);
  else if (/^assert\.Error\(t, res\.Err\(\)/.test(a))
    expectBool(check, a, false, result.ok, result);
  else if (/^assert\.Equal\(t, [01], res\.ExitCode\(\)\)/.test(a)) {
    expectBool(check, a, a.includes(', 0,'), result.ok, result);
  } else if (/res\.RuleValidation\(\)\.All(Errors|Warnings)\(\)/.test(a)) {
    const list = /AllErrors/.test(a) ? result.errors : result.warnings;
    const arg = (name: string): string | undefined => {
      const m = new RegExp(`\\.${name}\\(("(?:[^"\\\\]|\\\\.)*")\\)`).exec(a);
      return m?.[1] === undefined ? undefined : (JSON.parse(m[1]) as string);
    };
    const q: MessageQuery = {};
    const code = arg('OfCode');
    const itemType = arg('OfItemType');
    const itemName = arg('OfItemName');
    const message = arg('OfMessage');
    if (code !== undefined) q.code = code;
    if (itemType !== undefined) q.itemType = itemType;
    if (itemName !== undefined) q.itemName = itemName;
    if (message !== undefined) q.message = message;
    const want = /^assert\.NotNil/.test(a) ? true : /^assert\.Nil/.test(a) ? false : undefined;
    if (want === undefined) check.unmapped.push(a);
    else
      expectBool(
        check,
        a,
        want,
        list.some((m) => matches(m, q)),
        result,
      );
  } else {
    check.unmapped.push(a);
  }
}

function checkC(expect: Record<string, unknown>, result: LoadResult, check: CaseCheck): void {
  const errors = expect.validate_errors as Record<string, string>[] | undefined;
  const warnings = expect.validate_warnings as Record<string, string>[] | undefined;
  const exit = expect.exit_status as number | undefined;
  if (errors !== undefined || (exit ?? 0) === 0) {
    expectBool(check, `exit_status ${exit ?? 0}`, (exit ?? 0) === 0, result.ok, result);
  } else {
    check.unmapped.push(`exit_status ${exit} without validate_errors (a runtime failure)`);
  }
  const each = (
    list: readonly Record<string, string>[],
    got: readonly LoadMessage[],
    kind: string,
  ): void => {
    for (const e of list) {
      const q: MessageQuery = {};
      if (e.code !== undefined) q.code = e.code;
      if (e.item_type !== undefined) q.itemType = e.item_type;
      if (e.item_name !== undefined) q.itemName = e.item_name;
      if (e.message !== undefined) q.message = e.message;
      if (e.message_contains !== undefined) q.contains = e.message_contains;
      expectBool(
        check,
        `${kind} ${JSON.stringify(e)}`,
        true,
        got.some((m) => matches(m, q)),
        result,
      );
    }
  };
  each(errors ?? [], result.errors, 'validate_errors');
  each(warnings ?? [], result.warnings, 'validate_warnings');
}

/** Maps every assertion of `c` that has a counterpart in our LoadResult and checks it. */
export function checkCase(c: ValidationCase, result: LoadResult): CaseCheck {
  const check: CaseCheck = { mapped: 0, unmapped: [], failures: [] };
  if (c.suite === 'C' && c.expect !== undefined) checkC(c.expect, result, check);
  for (const a of c.assertions) {
    if (c.suite === 'A') checkA(a, result, check);
    else checkB(a, result, check);
  }
  return check;
}
