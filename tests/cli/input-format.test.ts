import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runKaudit } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-format-'));

// One plain event and one EKS CloudWatch export line.
const mixed = join(dir, 'mixed.jsonl');
writeFileSync(
  mixed,
  `${JSON.stringify(auditEvent({ verb: 'get' }))}\n${JSON.stringify({ message: JSON.stringify(auditEvent({ verb: 'list' })) })}\n`,
);

test('kaudit scan --summary says which input formats it saw', () => {
  const r = runKaudit(['scan', mixed, '--summary']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, /Input formats: jsonl 1, eks 1\n/);
});

test('kaudit scan --input-format eks decodes EKS lines only and reports the others', () => {
  const r = runKaudit(['scan', mixed, '--summary', '--input-format', 'eks']);
  assert.equal(r.code, 0, r.stderr);
  const all = r.stdout + r.stderr;
  assert.match(all, /Events read: 1\n/);
  assert.match(all, /wrong_format: 1/);
  assert.match(all, /Input formats: eks 1\n/);
  const bad = runKaudit(['scan', mixed, '--input-format', 'xml']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /expected auto, jsonl, eks, gke, aks, ovh, kube-audit-rest/);
});
