import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Command } from 'commander';
import { registerPolicyCommand } from '../../src/cli/commands/policy.ts';
import { CliError } from '../../src/cli/errors.ts';
import { REPO_ROOT, SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  };
  const program = new Command('kaudit')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout.write, writeErr: io.stderr.write });
  registerPolicyCommand(program, io);
  for (const c of program.commands)
    c.exitOverride().configureOutput({ writeOut: io.stdout.write, writeErr: io.stderr.write });
  for (const c of program.commands.flatMap((x) => x.commands))
    c.configureOutput({ writeOut: io.stdout.write, writeErr: io.stderr.write });
  let code = 0;
  try {
    await program.parseAsync(['node', 'kaudit', ...args]);
  } catch (err) {
    if (err instanceof CliError) code = err.exitCode;
    else if (err instanceof Error && 'exitCode' in err)
      code = (err as { exitCode: number }).exitCode === 0 ? 0 : 2;
    else throw err;
  }
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'kaudit-policy-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const GOOD = file(
  'good.yaml',
  'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: ["RequestReceived"]\nrules:\n  - level: None\n    nonResourceURLs: ["/healthz*"]\n  - level: Metadata\n    resources:\n      - group: ""\n        resources: ["secrets"]\n  - level: Metadata\n',
);

test('policy validate exits 0 for a valid policy and 1 with file:line:col for an invalid one', async () => {
  assert.equal((await run('policy', 'validate', GOOD)).code, 0);
  const bad = file(
    'bad.yaml',
    'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Foo\n',
  );
  const r = await run('policy', 'validate', bad);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:5: error: rules\\[0\\]\\.level`),
  );
});

test('policy validate --format json reports lenient-decoding warnings', async () => {
  const p = file(
    'lenient.yaml',
    'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: None\n    verb: ["get"]\n',
  );
  const r = await run('policy', 'validate', '--format', 'json', p);
  assert.equal(r.code, 0);
  const out = JSON.parse(r.stdout) as {
    ok: boolean;
    warnings: { code: string; position: { line: number } }[];
  };
  assert.equal(out.ok, true);
  assert.deepEqual(
    out.warnings.map((w) => w.code),
    ['lenient_fallback', 'strict_decoding'],
  );
  assert.equal(out.warnings[1]?.position.line, 5);
});

test('policy check --format json gives the matching rule and why earlier ones missed', async () => {
  const r = await run(
    'policy',
    'check',
    GOOD,
    '--user',
    'alice',
    '--verb',
    'get',
    '--resource',
    'secrets',
    '--namespace',
    'default',
    '--format',
    'json',
  );
  assert.equal(r.code, 0);
  const d = JSON.parse(r.stdout) as {
    level: string;
    ruleIndex: number;
    misses: { ruleIndex: number; reason: string }[];
  };
  assert.equal(d.level, 'Metadata');
  assert.equal(d.ruleIndex, 1);
  assert.deepEqual(d.misses, [{ ruleIndex: 0, reason: 'rule_for_urls' }]);
});

test('policy check is a usage error (2) without --resource or --path', async () => {
  assert.equal((await run('policy', 'check', GOOD, '--verb', 'get')).code, 2);
});

test('policy lint exits 1 on error findings and 0 on a clean policy', {
  skip: SHARED_SKIP,
}, async () => {
  assert.equal((await run('policy', 'lint', GOOD)).code, 0);
  const r = await run(
    'policy',
    'lint',
    '--format',
    'json',
    sharedFixture('kubernetes', 'lint-examples', 'shadowed-rule.yaml'),
  );
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout) as { findings: { code: string }[] };
  assert.ok(out.findings.some((f) => f.code === 'shadowed-rule'));
});

test('policy simulate --format json totals a small log', async () => {
  const ev = (i: number, level: string, extra: object = {}) =>
    JSON.stringify({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level,
      auditID: `a${i}`,
      stage: 'ResponseComplete',
      verb: 'get',
      requestURI: '/api/v1/namespaces/d/secrets/s',
      user: { username: 'u' },
      objectRef: { resource: 'secrets', namespace: 'd' },
      stageTimestamp: `2026-01-01T00:00:0${i}Z`,
      ...extra,
    });
  const log = file(
    'a.log',
    `${ev(0, 'Metadata')}\n${ev(1, 'RequestResponse', { responseObject: { data: { k: 'djE=' } } })}\n`,
  );
  const r = await run('policy', 'simulate', '--format', 'json', GOOD, log);
  assert.equal(r.code, 0, r.stderr);
  const rep = JSON.parse(r.stdout) as {
    after: { byLevel: { Metadata: { events: number } } };
    notJudgeable: { events: number };
  };
  assert.equal(rep.after.byLevel.Metadata.events, 2);
  assert.equal(rep.notJudgeable.events, 0);
});

test('policy generate --help shows examples', async () => {
  const r = await run('policy', 'generate', '--help');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Examples:/);
});

const BIN = join(REPO_ROOT, 'bin', 'kaudit');

test('bin/kaudit policy validate and lint exit with the documented codes', () => {
  const ok = spawnSync(process.execPath, [BIN, 'policy', 'lint', GOOD], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  const bad = file('bin-bad.yaml', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n');
  const r = spawnSync(process.execPath, [BIN, 'policy', 'validate', bad], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /:3:1: error: loaded illegal policy with 0 rules \[no_rules\]/);
  const usage = spawnSync(process.execPath, [BIN, 'policy', 'check', GOOD], { encoding: 'utf8' });
  assert.equal(usage.status, 2);
});
