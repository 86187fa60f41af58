import { readFileSync } from 'node:fs';

/** One rules file of a case. */
export interface CaseFile {
  readonly name: string;
  readonly content: string;
}

/** One `####` case of rules_validation_cases.md. */
export interface ValidationCase {
  /** `A`, `B` or `C`: the upstream suite it comes from. */
  readonly suite: 'A' | 'B' | 'C';
  readonly title: string;
  readonly files: readonly CaseFile[];
  /** Assertion lines (A, B) without the leading "- `" and trailing "`". */
  readonly assertions: readonly string[];
  /** The JSON expectations block (C). */
  readonly expect?: Record<string, unknown>;
  readonly hasCpp: boolean;
  /** The C++ test body, for the cases whose rules live in C++ string literals. */
  readonly cpp: string;
}

/** Splits the markdown into cases: headings, YAML blocks with their file names, assertions. */
export function parseValidationCases(path: string): ValidationCase[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const cases: ValidationCase[] = [];
  let suite: 'A' | 'B' | 'C' = 'A';
  let cur:
    | {
        title: string;
        files: CaseFile[];
        assertions: string[];
        json: string[];
        hasCpp: boolean;
        cpp: string[];
      }
    | undefined;
  let pendingName: string | undefined;
  const flush = (): void => {
    if (cur === undefined) return;
    const json = cur.json.join('\n').trim();
    cases.push({
      suite,
      title: cur.title,
      files: cur.files,
      assertions: cur.assertions,
      ...(json === '' ? {} : { expect: JSON.parse(json) as Record<string, unknown> }),
      hasCpp: cur.hasCpp,
      cpp: cur.cpp.join('\n'),
    });
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('## ')) {
      flush();
      cur = undefined;
      const m = /^## ([ABC])\./.exec(line);
      if (m !== null) suite = m[1] as 'A' | 'B' | 'C';
      continue;
    }
    if (line.startsWith('#### ')) {
      flush();
      cur = {
        title: line.slice(5).trim(),
        files: [],
        assertions: [],
        json: [],
        hasCpp: false,
        cpp: [],
      };
      pendingName = undefined;
      continue;
    }
    if (cur === undefined) continue;
    const fence = /^```(\w*)\s*$/.exec(line);
    if (fence !== null) {
      const body: string[] = [];
      for (i++; i < lines.length && !(lines[i] ?? '').startsWith('```'); i++)
        body.push(lines[i] ?? '');
      const lang = fence[1];
      if (lang === 'yaml') {
        const name = pendingName ?? `case${cur.files.length === 0 ? '' : cur.files.length}.yaml`;
        cur.files.push({ name, content: `${body.join('\n')}\n` });
        pendingName = undefined;
      } else if (lang === 'json') cur.json.push(...body);
      else if (lang === 'cpp') {
        cur.hasCpp = true;
        cur.cpp.push(...body);
      }
      continue;
    }
    const fileB = /^- rules `\w+` \(file name `([^`]+)`\):/.exec(line);
    const fileC = /^- `(rules\/[^`]+)`:/.exec(line);
    if (fileB !== null || fileC !== null) {
      pendingName = fileB?.[1] ?? fileC?.[1];
      continue;
    }
    const assertion = /^- `(.*)`\s*$/.exec(line);
    if (assertion !== null) cur.assertions.push(assertion[1] ?? '');
  }
  flush();
  return cases;
}

/** The string literals of a C++/Go expression, adjacent literals joined ("a" "b" → ab). */
export function stringLiterals(expr: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"(\s*"((?:[^"\\]|\\.)*)")*/g;
  for (let m = re.exec(expr); m !== null; m = re.exec(expr)) {
    const parts = m[0].match(/"((?:[^"\\]|\\.)*)"/g) ?? [];
    out.push(parts.map((p) => JSON.parse(p) as string).join(''));
  }
  return out;
}
