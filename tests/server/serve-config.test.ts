// How `kaudit serve` is configured (a file, KAUDIT_* variables, flags, in that order of
// precedence), how it reports a bad configuration (file:line:col, the variable, the flag,
// exit 2), and when it refuses to start (a non-loopback address without authentication).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { auditEvent } from '../helpers/events.ts';
import { postAudit } from '../helpers/http-request.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';
import {
  EVERY_EVENT_RULE,
  freePort,
  readAlerts,
  runServeToExit,
  tempDir,
  writeRules,
} from '../helpers/serve-kit.ts';
import { certsUnavailable, makeTestCerts } from '../helpers/test-certs.ts';

const EXIT_USAGE = 2;
const running: ServeProcess[] = [];
after(async () => {
  for (const s of running) await s.stop('SIGKILL');
});

async function serve(
  args: readonly string[],
  opts: Parameters<typeof startServe>[1] = {},
): Promise<ServeProcess> {
  const s = await startServe(args, opts);
  running.push(s);
  return s;
}

/** Posts one event, stops the server (SIGTERM, exit 0): its alerts are then delivered. */
async function postAndStop(s: ServeProcess, id: string): Promise<void> {
  const r = await postAudit(s.port, eventList([auditEvent({ auditID: id })]));
  assert.equal(r.status, 200, r.text);
  assert.equal(await s.stop(), 0, s.stderr());
}

function clusterOf(file: string, id: string): unknown {
  const a = readAlerts(file).find(
    (x) => (x.output_fields as Record<string, unknown>)['ka.auditid'] === id,
  );
  return a === undefined
    ? undefined
    : (a.output_fields as Record<string, unknown>)['ka.cluster.name'];
}

test('settings come from flags first, then KAUDIT_* variables, then the config file, then defaults', async () => {
  const dir = tempDir();
  const rules = writeRules(dir, EVERY_EVENT_RULE);
  const [p1, p2, p3] = [await freePort(), await freePort(), await freePort()];
  const [fileOut, envOut, envOut2, flagOut] = ['a', 'b', 'b2', 'c'].map((n) =>
    join(dir, `${n}.json`),
  ) as [string, string, string, string];
  const config = join(dir, 'kaudit.yaml');
  writeFileSync(
    config,
    `# test config\nlisten: 127.0.0.1:${p1}\ncluster: from-file\noutputs:\n  - file:${fileOut}\nrules: [${rules}]\nruleMatching: all\n`,
  );

  const fromFile = await serve(['--config', config], { listen: false });
  assert.equal(fromFile.port, p1);
  await postAndStop(fromFile, 'prec-file');
  assert.equal(clusterOf(fileOut, 'prec-file'), 'from-file');

  const env = {
    KAUDIT_LISTEN: `127.0.0.1:${p2}`,
    KAUDIT_CLUSTER: 'from-env',
    KAUDIT_OUTPUT: `file:${envOut},file:${envOut2}`,
  };
  const fromEnv = await serve(['--config', config], { listen: false, env });
  assert.equal(fromEnv.port, p2);
  await postAndStop(fromEnv, 'prec-env');
  assert.equal(clusterOf(envOut, 'prec-env'), 'from-env');
  assert.equal(clusterOf(envOut2, 'prec-env'), 'from-env');
  assert.equal(
    clusterOf(fileOut, 'prec-env'),
    undefined,
    'a list from a variable replaces the file’s',
  );

  const fromFlags = await serve(
    [
      '--config',
      config,
      '--listen',
      `127.0.0.1:${p3}`,
      '--cluster',
      'from-flag',
      '--output',
      `file:${flagOut}`,
    ],
    { env },
  );
  assert.equal(fromFlags.port, p3);
  await postAndStop(fromFlags, 'prec-flag');
  assert.equal(clusterOf(flagOut, 'prec-flag'), 'from-flag');
  assert.equal(clusterOf(envOut, 'prec-flag'), undefined);

  // Defaults: no outputs anywhere means stdout, in Falco's text format.
  const defaults = await serve(['-r', rules]);
  await postAndStop(defaults, 'prec-default');
  assert.match(
    defaults.stdout(),
    /Notice seen id=prec-default stage=ResponseComplete cluster=<NA>/,
  );
});

test('a boolean from the file is overridden by a variable, and the variable by a flag', async () => {
  const dir = tempDir();
  const config = join(dir, 'kaudit.yaml');
  writeFileSync(config, 'listen: 0.0.0.0:0\ninsecure: true\noutputs: [stdout]\n');
  const started = await serve(['--config', config], { listen: false });
  assert.match(started.stderr(), /listening on 0\.0\.0\.0:\d+/);
  await started.stop();
  for (const [what, args, env] of [
    ['--no-insecure', ['--no-insecure'], {}],
    ['KAUDIT_INSECURE=false', [], { KAUDIT_INSECURE: 'false' }],
  ] as const) {
    const r = runServeToExit(['--config', config, '--data-dir', join(dir, 'data'), ...args], env);
    assert.equal(r.code, EXIT_USAGE, `${what}: ${r.stderr}`);
    assert.match(r.stderr, /refusing to listen on 0\.0\.0\.0:0 without authentication/, what);
  }
  const flagWins = await serve(['--config', config, '--insecure'], {
    listen: false,
    env: { KAUDIT_INSECURE: 'false' },
  });
  assert.match(flagWins.stderr(), /listening on 0\.0\.0\.0:\d+/);
});

test('a non-loopback address without a token or client CA is refused unless --insecure', async () => {
  const dir = tempDir();
  const data = join(dir, 'data');
  for (const listen of ['0.0.0.0:0', ':0', '[::]:0', '10.1.2.3:0']) {
    const r = runServeToExit(['--listen', listen, '--data-dir', data]);
    assert.equal(r.code, EXIT_USAGE, `${listen}: ${r.stderr}`);
    assert.match(
      r.stderr,
      /^kaudit: refusing to listen on .+ without authentication: give --token-file, or --client-ca with --tls-cert and --tls-key \(or --insecure/m,
      listen,
    );
    assert.equal(r.stdout, '');
  }
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, 'a-token\n');
  const withToken = await serve(['--listen', '0.0.0.0:0', '--token-file', tokenFile]);
  assert.match(withToken.stderr(), /listening on 0\.0\.0\.0:/);
  const insecure = await serve(['--listen', '0.0.0.0:0', '--insecure']);
  assert.match(insecure.stderr(), /listening on 0\.0\.0\.0:/);
  const loopback = await serve(['--listen', 'localhost:0']);
  assert.match(loopback.stderr(), /listening on 127\.0\.0\.1:/);
});

test('refused security settings: --client-ca without TLS, half of a TLS pair, an empty token file', {
  skip: certsUnavailable() ?? false,
}, () => {
  const certs = makeTestCerts();
  const dir = tempDir();
  const empty = join(dir, 'empty-token');
  writeFileSync(empty, '# no token yet\n\n');
  for (const [args, message] of [
    [['--client-ca', certs.caFile], /--client-ca needs TLS/],
    [['--tls-cert', certs.serverCertFile], /TLS needs both a certificate and a key/],
    [['--token-file', empty], /cannot use token file .*empty-token: .* holds no token/],
    [['--token-file', join(dir, 'missing')], /cannot use token file .*missing/],
    [
      ['--tls-cert', join(dir, 'missing.crt'), '--tls-key', certs.serverKeyFile],
      /cannot read TLS certificate .*missing\.crt/,
    ],
  ] as const) {
    const r = runServeToExit(['--listen', '127.0.0.1:0', '--data-dir', join(dir, 'data'), ...args]);
    assert.equal(r.code, EXIT_USAGE, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

/** Where `needle` starts in `text`, as file:line:col (1-based). */
function positionOf(file: string, text: string, needle: string): string {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  const before = text.slice(0, at).split('\n');
  return `${file}:${before.length}:${(before.at(-1) as string).length + 1}`;
}

test('config file errors name the file, line and column; variable and flag errors name them', () => {
  const dir = tempDir();
  const base = '# kaudit.yaml\nlisten: 127.0.0.1:0\n';
  const cases: [string, string, RegExp][] = [
    ['listne: 127.0.0.1:0\n', 'listne', /unknown setting 'listne' \(known: listen, dataDir,/],
    ['spoolMaxSize: lots\n', 'lots', /'spoolMaxSize': expected a size such as 1g, got 'lots'/],
    ['outputs: {stdout: yes}\n', '{stdout', /'outputs' must be a list/],
    ['cluster: [a, b]\n', '[a, b]', /'cluster' must be a single value/],
    ['insecure: maybe\n', 'maybe', /'insecure': expected true or false, got 'maybe'/],
    ['ruleMatching: some\n', 'some', /'ruleMatching': expected first or all, got 'some'/],
    [
      'spoolRetention: 5 minutes\n',
      '5 minutes',
      /'spoolRetention': expected a duration such as 1h/,
    ],
    ['listen: [oops\n', '', /:\d+:\d+: /],
  ];
  for (const [i, [line, needle, message]] of cases.entries()) {
    const file = join(dir, `c${i}.yaml`);
    const text = base + line;
    writeFileSync(file, text);
    const r = runServeToExit(['--config', file, '--data-dir', join(dir, 'data')]);
    assert.equal(r.code, EXIT_USAGE, `${line}: ${r.stderr}`);
    assert.match(r.stderr, message, line);
    if (needle !== '')
      assert.ok(
        r.stderr.startsWith(`kaudit: ${positionOf(file, text, needle)}: `),
        `${line}: ${r.stderr}`,
      );
    else assert.ok(r.stderr.startsWith(`kaudit: ${file}:`), r.stderr);
  }
  const missing = runServeToExit(['--config', join(dir, 'nope.yaml')]);
  assert.equal(missing.code, EXIT_USAGE);
  assert.match(missing.stderr, /cannot read config file .*nope\.yaml/);
  const env = runServeToExit(['--data-dir', join(dir, 'data')], { KAUDIT_SPOOL_MAX_SIZE: 'lots' });
  assert.equal(env.code, EXIT_USAGE);
  assert.match(
    env.stderr,
    /^kaudit: KAUDIT_SPOOL_MAX_SIZE: expected a size such as 1g, got 'lots'/,
  );
  const flag = runServeToExit(['--data-dir', join(dir, 'data'), '--max-body-size', '12 parsecs']);
  assert.equal(flag.code, EXIT_USAGE);
  assert.match(
    flag.stderr,
    /^kaudit: --max-body-size: expected a size such as 64m, got '12 parsecs'/,
  );
  const listen = runServeToExit(['--data-dir', join(dir, 'data'), '--listen', '127.0.0.1:99999']);
  assert.equal(listen.code, EXIT_USAGE);
  assert.match(listen.stderr, /--listen: expected HOST:PORT, got '127\.0\.0\.1:99999'/);
});

test('rules that do not load stop the start with file:line:col, exit 2', () => {
  const dir = tempDir();
  const text = `- rule: Broken\n  desc: d\n  condition: ka.verb = create and\n  output: x\n  priority: INFO\n  source: k8s_audit\n`;
  const rules = writeRules(dir, text, 'broken.yaml');
  const r = runServeToExit([
    '--listen',
    '127.0.0.1:0',
    '--data-dir',
    join(dir, 'data'),
    '-r',
    rules,
  ]);
  assert.equal(r.code, EXIT_USAGE, r.stderr);
  assert.match(r.stderr, /rules failed to load/);
  assert.match(
    r.stderr,
    new RegExp(
      `${rules.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3:\\d+: .*LOAD_ERR_COMPILE_CONDITION`,
    ),
  );
});
