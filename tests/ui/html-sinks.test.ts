import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/shared.ts';

// Every string the UI shows can come from an audit event. Preact renders children as text;
// these are the ways around that, and none may appear in the UI's code.
const SINKS: readonly [string, RegExp][] = [
  ['innerHTML', /\binnerHTML\b/],
  ['outerHTML', /\bouterHTML\b/],
  ['insertAdjacentHTML', /\binsertAdjacentHTML\b/],
  ['dangerouslySetInnerHTML', /\bdangerouslySetInnerHTML\b/],
  ['document.write', /\bdocument\.write(ln)?\s*\(/],
  ['eval', /(^|[^\w.])eval\s*\(/],
  ['new Function', /\bnew\s+Function\s*\(/],
  ['createContextualFragment', /\bcreateContextualFragment\b/],
  ['DOMParser', /\bDOMParser\b/],
  ['a style attribute set as text (blocked by the CSP)', /setAttribute\(\s*['"]style['"]/],
];

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sourceFiles(p)));
    else if (/\.(ts|tsx)$/.test(e.name)) out.push(p);
  }
  return out;
}

test('the UI code has no HTML-string sink', async () => {
  const files = await sourceFiles(join(REPO_ROOT, 'ui', 'src'));
  assert.ok(files.length > 20);
  const found: string[] = [];
  for (const f of files) {
    const text = await readFile(f, 'utf8');
    for (const [name, re] of SINKS) if (re.test(text)) found.push(`${f}: ${name}`);
  }
  assert.deepEqual(found, []);
});

test('anchors are only built by Link (our routes) and the export links (our API)', async () => {
  const files = await sourceFiles(join(REPO_ROOT, 'ui', 'src'));
  const withHref = [];
  for (const f of files) {
    if (/href=\{/.test(await readFile(f, 'utf8'))) withHref.push(f.slice(REPO_ROOT.length + 1));
  }
  assert.deepEqual(withHref.sort(), [
    'ui/src/components/export-links.tsx',
    'ui/src/components/link.tsx',
  ]);
});
