// examples/kaudit.yaml documents every setting of `kaudit serve` and loads through the
// real config loader: a setting added to settings.ts without its example, an example key
// that the loader refuses, or a documented default that is not the default, fails here.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  mergeSettings,
  type RawValue,
  readConfigFile,
  type ValueOrigin,
} from '../../../src/server/config/load-config.ts';
import { resolveServeConfig } from '../../../src/server/config/serve-config.ts';
import { envName, SETTINGS, type SettingDef } from '../../../src/server/config/settings.ts';
import { tempDir } from '../../helpers/serve-kit.ts';
import { REPO_ROOT } from '../../helpers/shared.ts';

const EXAMPLE = join(REPO_ROOT, 'examples', 'kaudit.yaml');
const TEXT = readFileSync(EXAMPLE, 'utf8');
const LINES = TEXT.split('\n');
const KEYS = new Set(SETTINGS.map((s) => s.key));

/** Where each setting sits: its line, whether it is commented out, its comment block. */
interface Entry {
  readonly line: number;
  readonly commented: boolean;
  readonly doc: string;
}

function entries(): Map<string, Entry> {
  const out = new Map<string, Entry>();
  LINES.forEach((text, line) => {
    const m = /^(# )?([A-Za-z]+):/.exec(text);
    if (m === null || !KEYS.has(m[2] as string)) return;
    // The comment block right above the key (a commented key's own line excluded).
    const doc: string[] = [];
    for (let i = line - 1; i >= 0 && (LINES[i] as string).startsWith('#'); i--) {
      doc.unshift(LINES[i] as string);
    }
    out.set(m[2] as string, { line: line + 1, commented: m[1] !== undefined, doc: doc.join('\n') });
  });
  return out;
}

test('examples/kaudit.yaml has every setting, each under a comment that names its flag and variable', () => {
  const found = entries();
  assert.deepEqual([...found.keys()].sort(), [...KEYS].sort());
  for (const def of SETTINGS) {
    const e = found.get(def.key) as Entry;
    assert.ok(e.doc.includes(`--${def.flag}`), `${def.key} (line ${e.line}): no --${def.flag}`);
    assert.ok(e.doc.includes(envName(def)), `${def.key} (line ${e.line}): no ${envName(def)}`);
    if (def.short !== undefined) {
      assert.ok(e.doc.includes(`-${def.short}/`), `${def.key}: no -${def.short}`);
    }
  }
});

test('examples/kaudit.yaml loads through readConfigFile() and resolveServeConfig(), commented keys too', () => {
  const file = readConfigFile(EXAMPLE);
  const active = [...entries()].filter(([, e]) => !e.commented).map(([k]) => k);
  assert.deepEqual([...file.keys()].sort(), active.sort());
  const c = resolveServeConfig(mergeSettings(file));
  assert.equal(c.listen.port, 9765, 'the example listens on the port of Falco k8saudit');
  // Each commented-out key is an optional one: uncommented, its example value loads too.
  const dir = tempDir();
  const all = join(dir, 'kaudit.yaml');
  writeFileSync(
    all,
    LINES.map((l) => {
      const m = /^# ([A-Za-z]+):/.exec(l);
      return m !== null && KEYS.has(m[1] as string) ? l.slice(2) : l;
    }).join('\n'),
  );
  const full = readConfigFile(all);
  assert.deepEqual([...full.keys()].sort(), [...KEYS].sort());
  resolveServeConfig(mergeSettings(full));
});

/** A setting given alone, as the file would give it. */
function only(def: SettingDef, value: RawValue): ReturnType<typeof resolveServeConfig> {
  const origin: ValueOrigin = { kind: 'file', where: 'example' };
  return resolveServeConfig(new Map([[def.key, { value, origin }]]));
}

test('every "Default X" that examples/kaudit.yaml states is the default resolveServeConfig() applies', () => {
  const defaults = resolveServeConfig(new Map());
  const found = entries();
  let checked = 0;
  for (const def of SETTINGS) {
    const m = /Default(?:\s|#)+([^\s,]+?)[.,]?(?:\s|$)/.exec((found.get(def.key) as Entry).doc);
    if (m === null) continue;
    const value = def.type === 'list' ? [m[1] as string] : (m[1] as string);
    assert.deepEqual(only(def, value), defaults, `${def.key}: documented default ${m[1]}`);
    checked++;
  }
  // listen, dataDir, ruleMatching... : most settings state their default this way.
  assert.ok(checked >= 12, `only ${checked} defaults stated`);
});
