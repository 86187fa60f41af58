// `kaudit scan --format json`: output_fields hold values as libsinsp's tojson writes them
// (numbers for evt.num and the nanosecond times, a boolean for evt.is_async, the text
// time fields as the event time in ns), transformed fields are left out with their bare
// field kept, and %evt.time.iso8601 renders with +0000 in the message (Falco's formatter).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runKaudit } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-falco-json-'));
const rules = join(dir, 'rules.yaml');
writeFileSync(
  rules,
  `
- rule: Typed
  desc: d
  condition: ka.verb = create
  output: >-
    n=%evt.num raw=%evt.rawtime s=%evt.rawtime.s ns=%evt.rawtime.ns async=%evt.is_async
    iso=%evt.time.iso8601 dt=%evt.datetime user=%tolower(ka.user.name)
    verb=%toupper(tolower(ka.verb)) code=%ka.response.code
  priority: WARNING
  source: k8s_audit
`,
);
const log = join(dir, 'audit.log');
const event = auditEvent({ user: { username: 'Alice@Example.com', groups: [] } });
writeFileSync(log, `${JSON.stringify(auditEvent({ verb: 'get' }))}\n${JSON.stringify(event)}\n`);
// stageTimestamp 2026-11-02T10:15:30.234567Z in nanoseconds.
const NS = '1793614530234567000';

function scanJson(extra: readonly string[] = []): string {
  const r = runKaudit(['scan', '-r', rules, '--format', 'json', ...extra, log]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

test('scan --format json writes evt.num, the ns times and evt.is_async with their JSON types', () => {
  const line = scanJson();
  // Checked on the text: a JSON parser would round the 19-digit nanoseconds.
  // (Its value depends on how many lines the fast path skipped; its type does not.)
  assert.match(line, /"evt\.num":\d+[,}]/);
  assert.match(line, new RegExp(`"evt\\.rawtime":${NS}[,}]`));
  assert.match(line, /"evt\.rawtime\.s":1793614530[,}]/);
  assert.match(line, /"evt\.rawtime\.ns":234567000[,}]/);
  assert.match(line, /"evt\.is_async":false[,}]/);
  // The text time fields are the event time in ns (libsinsp extract_as_js).
  assert.match(line, new RegExp(`"evt\\.time\\.iso8601":${NS}[,}]`));
  assert.match(line, new RegExp(`"evt\\.datetime":${NS}[,}]`));
  assert.match(line, new RegExp(`"evt\\.time":${NS}[,}]`));
  // A string field stays a string, even when it holds digits.
  assert.match(line, /"ka\.response\.code":"201"/);
});

test('scan --format json leaves transformed fields out of output_fields and keeps the bare field', () => {
  const alert = JSON.parse(scanJson()) as {
    output: string;
    output_fields: Record<string, unknown>;
  };
  const keys = Object.keys(alert.output_fields);
  assert.equal(
    keys.some((k) => k.includes('(')),
    false,
    keys.join(' '),
  );
  // The bare field with its own value, not the transformed one.
  assert.equal(alert.output_fields['ka.user.name'], 'Alice@Example.com');
  assert.equal(alert.output_fields['ka.verb'], 'create');
  // The message still shows the transformed values.
  assert.match(alert.output, / user=alice@example\.com verb=CREATE /);
  // Keys stay sorted, as Falco's nlohmann::json writes them.
  assert.deepEqual(keys, [...keys].sort());
});

test('%evt.time.iso8601 renders with +0000 in the message, as Falco does', () => {
  const alert = JSON.parse(scanJson()) as { output: string; time: string };
  assert.match(alert.output, / iso=2026-11-02T10:15:30\.234567000\+0000 /);
  // The alert's own time keeps Falco's Z form.
  assert.equal(alert.time, '2026-11-02T10:15:30.234567000Z');
  const text = runKaudit(['scan', '-r', rules, log]);
  assert.match(text.stdout, / iso=2026-11-02T10:15:30\.234567000\+0000 /);
});

test('a correlated rule writes its output_fields with the same JSON types and leaves transformed fields out', () => {
  const corr = join(dir, 'correlated.yaml');
  writeFileSync(
    corr,
    `- rule: Two Creates
  desc: d
  correlate:
    type: threshold
    count: 2
    within: 1m
    condition: ka.verb = create
  output: "%correlation.count creates, last n=%evt.num at %evt.rawtime by %tolower(ka.user.name)"
  priority: WARNING
  source: k8s_audit
`,
  );
  const twice = join(dir, 'twice.log');
  writeFileSync(twice, `${JSON.stringify(auditEvent())}\n${JSON.stringify(event)}\n`);
  const r = runKaudit(['scan', '-r', corr, '--format', 'json', twice]);
  assert.equal(r.code, 0, r.stderr);
  const line = r.stdout.trim();
  assert.match(line, /"evt\.num":\d+[,}]/);
  assert.match(line, new RegExp(`"evt\\.rawtime":${NS}[,}]`));
  assert.match(line, /"ka\.user\.name":"Alice@Example\.com"/);
  assert.equal(line.includes('tolower('), false, line);
});
