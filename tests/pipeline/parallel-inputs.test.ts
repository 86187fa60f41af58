import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createStreamOutput } from '../../src/outputs/index.ts';
import { runParallelScan, startScanWorkers } from '../../src/pipeline/index.ts';
import { loadRules } from '../../src/rules/index.ts';
import { type InputError, planChunks } from '../../src/sources/index.ts';
import { auditEvent } from '../helpers/events.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-par-inputs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const rules = loadRules([
  {
    name: 'r.yaml',
    content:
      '- rule: Any Delete\n  desc: d\n  condition: ka.verb = delete\n  output: delete by %ka.user.name\n  priority: WARNING\n  source: k8s_audit\n',
  },
]).rules;

function log(name: string, users: readonly string[]): string {
  const p = join(dir, name);
  const text = users.map((u) =>
    JSON.stringify(auditEvent({ verb: 'delete', user: { username: u } })),
  );
  writeFileSync(p, `${text.join('\n')}\n`);
  return p;
}

test('runParallelScan() reports a file that vanished after planning once, and scans the other files', async () => {
  const a = log('a.log', ['a1', 'a2']);
  const b = log(
    'b.log',
    Array.from({ length: 200 }, (_, i) => `b${i}`),
  );
  const c = log('c.log', ['c1']);
  process.env.KAUDIT_CHUNK_BYTES = '4096';
  const plan = await planChunks([a, b, c], 1);
  delete process.env.KAUDIT_CHUNK_BYTES;
  assert.ok(plan !== undefined);
  assert.ok(plan.chunks.filter((k) => k.path === b).length > 2, 'b.log spans several chunks');
  unlinkSync(b);
  let text = '';
  const sink = {
    write(s: string) {
      text += s;
      return true;
    },
    on() {
      return sink;
    },
  } as unknown as NodeJS.WritableStream;
  const errors: InputError[] = [];
  const r = await runParallelScan(startScanWorkers(0), plan.chunks, rules, {
    config: {
      detector: { ruleMatching: 'first', hostname: 'h', fastpath: true },
      maxLineBytes: 1024 * 1024,
    },
    outputs: [createStreamOutput(sink, { format: { format: 'text' } })],
    onReject: () => {},
    onInputError: (e) => errors.push(e),
  });
  assert.deepEqual(
    errors.map((e) => [e.path, e.code]),
    [[b, 'ENOENT']],
  );
  assert.equal(r.unreadable, 1);
  assert.deepEqual(
    text
      .trim()
      .split('\n')
      .map((l) => l.replace(/^.*delete by /, '')),
    ['a1', 'a2', 'c1'],
  );
});
