import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT } from '../helpers/shared.ts';

let out: string;
let html: string;

before(async () => {
  out = await mkdtemp(join(tmpdir(), 'kaudit-ui-build-'));
  const { buildUi } = await import('../../scripts/build-ui.mjs');
  await buildUi(REPO_ROOT, out);
  html = await readFile(join(out, 'index.html'), 'utf8');
});

after(async () => {
  await rm(out, { recursive: true, force: true });
});

test('index.html has no inline script, style or event handler (the CSP would block them)', () => {
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length >= 2);
  for (const [, attrs, body] of scripts) {
    assert.match(attrs ?? '', /\ssrc="\{\{base\}\}\/assets\/[\w-]+\.js"/);
    assert.equal(body, '');
  }
  assert.doesNotMatch(html, /<style\b/i);
  assert.doesNotMatch(html, /\sstyle=/i);
  assert.doesNotMatch(html, /\son[a-z]+=/i);
  assert.ok(html.includes('<meta name="kaudit-base" content="{{base}}" />'));
});

test('every file index.html names exists, with a content hash in its name', async () => {
  const files = new Set(await readdir(join(out, 'assets')));
  const named = [...html.matchAll(/\{\{base\}\}\/assets\/([^"]+)"/g)].map((m) => m[1] as string);
  assert.equal(named.length, 3);
  for (const f of named) {
    assert.ok(files.has(f), f);
    assert.match(f, /^[a-z-]+-[A-Z0-9]{8}\.(js|css)$/);
  }
});

test('nothing is loaded from another origin (no CDN, no web font)', async () => {
  for (const f of await readdir(join(out, 'assets'))) {
    const text = await readFile(join(out, 'assets', f), 'utf8');
    assert.doesNotMatch(text, /@import|url\(\s*['"]?(https?:)?\/\//i, f);
    assert.doesNotMatch(text, /fonts\.googleapis|cdn\.jsdelivr|unpkg\.com/i, f);
  }
});
