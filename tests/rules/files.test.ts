import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readRulesPaths } from '../../src/rules/index.ts';

test('readRulesPaths() expands a directory to its .yaml/.yml files sorted by name', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kaudit-rules-'));
  try {
    await mkdir(join(dir, 'd'));
    await writeFile(join(dir, 'd', 'b.yml'), '- list: b\n  items: []\n');
    await writeFile(join(dir, 'd', 'a.yaml'), '- list: a\n  items: []\n');
    await writeFile(join(dir, 'd', 'notes.txt'), 'ignored');
    await writeFile(join(dir, 'single.yaml'), '[]\n');
    const { sources, errors } = await readRulesPaths([
      join(dir, 'single.yaml'),
      join(dir, 'd'),
      join(dir, 'missing.yaml'),
    ]);
    assert.deepEqual(
      sources.map((s) => s.name),
      [join(dir, 'single.yaml'), join(dir, 'd', 'a.yaml'), join(dir, 'd', 'b.yml')],
    );
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.code, 'LOAD_ERR_FILE_READ');
    assert.equal(errors[0]?.locations[0]?.position.name, join(dir, 'missing.yaml'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
