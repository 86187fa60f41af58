import { formatCaseResult, formatTestMessage } from './report-text.ts';
import type { CaseResult, FileResult } from './run-tests.ts';

// XML 1.0 allows tab, LF, CR and most of the rest, but no other C0 control, no lone
// surrogate and not U+FFFE/U+FFFF, even escaped: those are written as \uXXXX text.
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const SPECIAL: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

function xmlSafe(s: string): string {
  return s.replace(NOT_XML, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text for an attribute value: every special character and line break escaped. */
function attr(s: string): string {
  return xmlSafe(s).replace(/[&<>"'\t\n\r]/g, (c) => SPECIAL[c] ?? c);
}

/** Text for element content (line breaks kept). */
function text(s: string): string {
  return xmlSafe(s).replace(/[&<>]/g, (c) => SPECIAL[c] ?? c);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function testcase(suite: string, r: CaseResult): string {
  const head = `    <testcase name="${attr(r.test.name)}" classname="${attr(suite)}" file="${attr(suite)}" line="${r.test.position.line}" time="${seconds(r.ms)}"`;
  if (r.status === 'pass') return `${head}/>`;
  const detail = formatCaseResult(r, false);
  const first = detail.split('\n')[1]?.trim() ?? r.status;
  const tag = r.status === 'fail' ? 'failure' : 'error';
  const type = r.status === 'fail' ? 'failure' : (r.errors[0]?.code ?? 'error');
  return `${head}>\n      <${tag} message="${attr(first)}" type="${attr(type)}">${text(detail)}</${tag}>\n    </testcase>`;
}

/** Options of formatJUnit; the defaults are the run's host and time. */
export interface JUnitOptions {
  readonly hostname: string;
  /** `YYYY-MM-DDTHH:MM:SS`, as the schema wants it (no zone). */
  readonly timestamp: string;
  /** Turns a tests file path into the suite name (e.g. relative to the working directory). */
  readonly displayPath?: (path: string) => string;
}

/**
 * The run as JUnit XML, in the form Jenkins' JUnit plugin and GitLab's unit test reports
 * read: `<testsuites>` with one `<testsuite>` per tests file (name, tests, failures,
 * errors, time, timestamp, hostname, id, package), one `<testcase>` per case (name,
 * classname = the tests file, which GitLab shows as the suite, time, and `file`/`line`,
 * which GitLab links), at most one `<failure>` or `<error>` each (Jenkins keeps one),
 * then `<system-out/>` and `<system-err/>`. A tests file that could not be read is one
 * testcase with an `<error>`.
 */
export function formatJUnit(results: readonly FileResult[], opts: JUnitOptions): string {
  const show = opts.displayPath ?? ((p: string) => p);
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let totalMs = 0;
  results.forEach((f, id) => {
    const suite = show(f.file.path);
    const cases = f.cases.map((c) => testcase(suite, c));
    const nFail = f.cases.filter((c) => c.status === 'fail').length;
    const nErr =
      f.cases.filter((c) => c.status === 'error').length + (f.file.errors.length > 0 ? 1 : 0);
    const ms = f.cases.reduce((n, c) => n + c.ms, 0);
    if (f.file.errors.length > 0) {
      const detail = f.file.errors.map(formatTestMessage).join('\n');
      const first = f.file.errors[0];
      cases.unshift(
        `    <testcase name="(tests file)" classname="${attr(suite)}" file="${attr(suite)}" line="${first?.position.line ?? 0}" time="0.000">\n      <error message="${attr(first?.message ?? 'invalid tests file')}" type="${attr(first?.code ?? 'error')}">${text(detail)}</error>\n    </testcase>`,
      );
    }
    tests += cases.length;
    failures += nFail;
    errors += nErr;
    totalMs += ms;
    suites.push(
      `  <testsuite name="${attr(suite)}" package="kaudit.rules" id="${id}" tests="${cases.length}" failures="${nFail}" errors="${nErr}" time="${seconds(ms)}" timestamp="${attr(opts.timestamp)}" hostname="${attr(opts.hostname)}">\n    <properties>\n      <property name="rules_files" value="${attr(f.file.rulesFiles.map(show).join(', '))}"/>\n    </properties>\n${cases.join('\n')}${cases.length > 0 ? '\n' : ''}    <system-out/>\n    <system-err/>\n  </testsuite>`,
    );
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kaudit rules test" tests="${tests}" failures="${failures}" errors="${errors}" time="${seconds(totalMs)}">\n${suites.join('\n')}${suites.length > 0 ? '\n' : ''}</testsuites>\n`;
}
