import type { FieldDef, FieldRegistry } from '../../../src/fields/field.ts';
import { loadRules } from '../../../src/rules/index.ts';
import type { CaseCheck } from './case-assertions.ts';
import type { ValidationCase } from './cases.ts';

// test_plugin_requirements.cpp: ASSERT_TRUE/FALSE(check_requirements(error, {{"name",
// "ver"}, ...}, R"(yaml)")) — the loaded plugins and a rules file in C++ literals.
const REQUIREMENT_CALL =
  /ASSERT_(TRUE|FALSE)\(check_requirements\(error,\s*\{((?:\{"[^"]*",\s*"[^"]*"\},?\s*)*)\},\s*(?:R"\(([\s\S]*?)\)"|"")\)\)/g;

function checkPluginRequirements(c: ValidationCase, check: CaseCheck): void {
  for (const m of c.cpp.matchAll(REQUIREMENT_CALL)) {
    const plugins = new Map<string, string>();
    for (const p of (m[2] ?? '').matchAll(/\{"([^"]*)",\s*"([^"]*)"\}/g)) {
      plugins.set(p[1] ?? '', p[2] ?? '');
    }
    const r = loadRules([{ name: 'req.yaml', content: m[3] ?? '' }], { plugins });
    check.mapped++;
    if (r.ok !== (m[1] === 'TRUE')) {
      check.failures.push(
        `${m[0]}\n  got ok=${r.ok}: ${r.errors.map((e) => e.message).join('; ')}`,
      );
    }
  }
}

// test_filter_warning_resolver.cpp: ASSERT_TRUE/FALSE(warns("<condition>")) on made-up
// fields; `ka.*`/`jevt.*` are the plugin fields that never yield "<NA>".
const WARNS_CALL = /ASSERT_(TRUE|FALSE)\(warns\("((?:[^"\\]|\\.)*)"\)\)/g;

function createNaRegistry(): FieldRegistry {
  const def = (name: string): FieldDef => ({
    name,
    sources: ['*'],
    type: 'string',
    isList: false,
    arg: { kind: 'none', required: false },
    description: 'test field',
    needs: 'metadata',
    bind: () => () => undefined,
  });
  const names = ['ka.field', 'jevt.field', 'some.field', 'proc.name'];
  const defs = new Map(names.map((n) => [n, def(n)]));
  return { get: (n) => defs.get(n), list: () => [...defs.values()], suggest: () => undefined };
}

function checkNaWarnings(c: ValidationCase, check: CaseCheck): void {
  const registry = createNaRegistry();
  for (const m of c.cpp.matchAll(WARNS_CALL)) {
    const cond = JSON.parse(`"${m[2] ?? ''}"`) as string;
    if (cond.includes('evt.dir')) {
      check.unmapped.push(`${m[0]} (syscall evt.dir warning)`);
      continue;
    }
    const content = `- rule: r\n  desc: d\n  condition: '${cond}'\n  output: o\n  priority: INFO\n  source: k8s_audit\n`;
    const r = loadRules([{ name: 'w.yaml', content }], { registry });
    check.mapped++;
    const warned = r.warnings.some((w) => w.code === 'LOAD_UNSAFE_NA_CHECK');
    if (!r.ok || warned !== (m[1] === 'TRUE')) {
      check.failures.push(
        `${m[0]}: ok=${r.ok} warned=${warned} ${r.errors.map((e) => e.message).join('; ')}`,
      );
    }
  }
}

/** Checks the C++-only cases whose inputs can be read out of the C++ source. */
export function checkCppCase(c: ValidationCase): CaseCheck | undefined {
  const check: CaseCheck = { mapped: 0, unmapped: [], failures: [] };
  if (c.title.startsWith('test_plugin_requirements.cpp::')) checkPluginRequirements(c, check);
  else if (c.title === 'test_filter_warning_resolver.cpp::warnings_in_filtering_conditions') {
    checkNaWarnings(c, check);
  } else return undefined;
  return check;
}
