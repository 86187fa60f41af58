import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createRng } from '../../bench/gen/prng.ts';
import { generateEvents } from '../../bench/generate.ts';
import { createEngine } from '../../src/engine/index.ts';
import { createDecoder } from '../../src/events/index.ts';
import { createPrefilter, scanHeader } from '../../src/fastpath/index.ts';
import { defaultFieldRegistry } from '../../src/fields/index.ts';
import { loadRules } from '../../src/rules/index.ts';
import { SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';
import { serializeVariant } from './helpers/json-variants.ts';

/** A generated corpus plus re-serialised variants of part of it (the tricky lines). */
function buildCorpus(): { readonly lines: string[]; readonly plain: number } {
  const busy = [...generateEvents({ mix: 'busy', events: 4000, seed: 7, attackShare: 0.05 })];
  const rr = [...generateEvents({ mix: 'rr-heavy', events: 1000, seed: 8, attackShare: 0.05 })];
  const random = createRng(99).next;
  const variants: string[] = [];
  for (const line of [...busy.slice(0, 1500), ...rr.slice(0, 500)]) {
    const v = JSON.parse(line) as unknown;
    variants.push(
      serializeVariant(v, {
        random,
        shuffle: random() < 0.5,
        whitespace: random() < 0.5,
        escapes: random() < 0.5,
        duplicates: random() < 0.5,
      }),
    );
  }
  return { lines: [...busy, ...rr, ...variants], plain: busy.length };
}

test('the prefilter path gives the same alerts as the full parse with Falco k8s_audit_rules.yaml', {
  skip: SHARED_SKIP,
}, () => {
  const path = sharedFixture('falco', 'rules', 'k8s_audit_rules.yaml');
  const loaded = loadRules([{ name: 'k8s_audit_rules.yaml', content: readFileSync(path, 'utf8') }]);
  assert.equal(loaded.ok, true);
  const engine = createEngine({ rules: loaded.rules, ruleMatching: 'all', hostname: 'test' });
  const pre = createPrefilter(
    engine.activeRules.map((r) => r.condition),
    { registry: defaultFieldRegistry, source: 'k8s_audit' },
  );
  assert.ok(pre, "Falco's rules must be prefilterable");
  // Per rule too, so that a wrong answer for one rule is not hidden by another rule
  // that keeps the same line.
  const perRule = new Map(
    engine.activeRules.map((r) => [
      r.name,
      createPrefilter([r.condition], { registry: defaultFieldRegistry, source: 'k8s_audit' }),
    ]),
  );
  const decoder = createDecoder({});
  const { lines, plain } = buildCorpus();
  let skipped = 0;
  let skippedPlain = 0;
  let alerted = 0;
  lines.forEach((line, i) => {
    const full = decoder
      .decodeLine(line, 'corpus', i + 1)
      .flatMap((rec) => engine.process(rec).map((a) => a.rule));
    if (full.length > 0) alerted++;
    const h = scanHeader(line);
    if (h !== undefined) {
      for (const rule of full) {
        const p = perRule.get(rule);
        assert.ok(
          p === undefined || p(h),
          `rule ${rule} fires on line ${i + 1} but its prefilter says no`,
        );
      }
    }
    if (h !== undefined && !pre(h)) {
      skipped++;
      if (i < plain) skippedPlain++;
      assert.deepEqual(full, [], `line ${i + 1} was skipped but alerts: ${line.slice(0, 200)}`);
    }
  });
  // Guards against a vacuous pass: the corpus has alerts, and the prefilter does skip.
  assert.ok(alerted > 100, `only ${alerted} alerting lines`);
  assert.ok(skippedPlain > plain / 2, `skipped only ${skippedPlain} of ${plain} busy lines`);
  assert.ok(skipped > skippedPlain, 'no variant line was skipped');
});
