import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { generateEvents } from '../../bench/generate.ts';
import { createEngine } from '../../src/engine/index.ts';
import { createDecoder } from '../../src/events/index.ts';
import { CREDENTIAL_KINDS } from '../../src/fields/credentials/index.ts';
import { loadRules } from '../../src/rules/index.ts';
import { REPO_ROOT } from '../helpers/shared.ts';

const RULES_PATH = join(REPO_ROOT, 'rules', 'kaudit-rules.yaml');
const text = readFileSync(RULES_PATH, 'utf8');
const loaded = loadRules([{ name: RULES_PATH, content: text }]);
const CREDENTIAL_RULES = new Set([
  'Configmap With Credentials',
  'Workload With Credentials in Its Spec',
  'Credentials Stored Outside a Secret',
]);

describe('credential rules', () => {
  test('kaudit_credential_kinds lists every kind the fields report, and no other', () => {
    const m = /- list: kaudit_credential_kinds\n {2}items: \[([^\]]*)\]/.exec(text);
    assert.ok(m, 'the list is in rules/kaudit-rules.yaml');
    const items = (m[1] as string).split(',').map((s) => s.trim());
    assert.deepEqual([...items].sort(), Object.keys(CREDENTIAL_KINDS).sort());
  });

  test('on generated busy traffic, every credential alert is a planted key and every planted key alerts', () => {
    const engine = createEngine({ rules: loaded.rules, ruleMatching: 'all', hostname: 'test' });
    const decoder = createDecoder({});
    const planted = new Set<string>();
    const alerted = new Set<string>();
    let i = 0;
    // attackShare 4%: a few hundred attacks, a sixth of them configmaps with an AWS key.
    for (const line of generateEvents({
      mix: 'busy',
      events: 12_000,
      seed: 11,
      attackShare: 0.02,
    })) {
      for (const rec of decoder.decodeLine(line, 'busy', ++i)) {
        const e = rec.obj as { stage?: string; objectRef?: { name?: string } };
        const name = e.objectRef?.name ?? '';
        if (e.stage === 'ResponseComplete' && name.startsWith('creds-')) planted.add(name);
        for (const a of engine.process(rec)) {
          if (!CREDENTIAL_RULES.has(a.rule)) continue;
          assert.match(name, /^creds-/, `unplanted credential alert: ${a.message}`);
          assert.match(
            a.message,
            /aws-access-key-id@data\.credentials\.ini AKIA…\w{4} \(20 chars\)/,
          );
          alerted.add(name);
        }
      }
    }
    assert.ok(planted.size > 20, `only ${planted.size} planted`);
    assert.deepEqual([...alerted].sort(), [...planted].sort());
  });
});
