// Rules reloads of a running `kaudit serve`: on SIGHUP, when a rules file is edited in
// place, replaced by a rename (editors, `kubectl cp`), or swapped the way the kubelet
// updates a mounted ConfigMap; a broken rules file that leaves the old rules running; and
// SIGHUP reopening file outputs for logrotate.
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { auditEvent } from '../helpers/events.ts';
import { postAudit } from '../helpers/http-request.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';
import { readAlerts, scrape, tempDir, waitFor, writeRules } from '../helpers/serve-kit.ts';

const running: ServeProcess[] = [];
after(async () => {
  for (const s of running) await s.stop('SIGKILL');
});

/** A rule that fires on events of one verb, named after it. */
function verbRule(verb: string): string {
  return `- rule: On ${verb}\n  desc: fires on ${verb}\n  condition: ka.verb = ${verb}\n  output: "${verb} id=%ka.auditid"\n  priority: WARNING\n  source: k8s_audit\n`;
}

interface Running {
  readonly s: ServeProcess;
  readonly alerts: string;
}

async function serve(rules: string, extra: readonly string[] = []): Promise<Running> {
  const alerts = join(tempDir(), 'alerts.json');
  const s = await startServe([
    '-r',
    rules,
    '--rule-matching',
    'all',
    '--output',
    `file:${alerts}`,
    ...extra,
  ]);
  running.push(s);
  return { s, alerts };
}

/** The rules that fired on the event `id`. */
function rulesFor(alerts: string, id: string): string[] {
  return readAlerts(alerts)
    .filter((a) => String(a.output).endsWith(`id=${id}`))
    .map((a) => String(a.rule))
    .sort();
}

let seq = 0;
/** Posts a `verb` event and returns the rules that fired on it, once detection is done. */
async function firedOn(r: Running, verb: string, expect: readonly string[]): Promise<string[]> {
  const id = `reload-${++seq}`;
  const p = await postAudit(r.s.port, eventList([auditEvent({ auditID: id, verb })]));
  assert.equal(p.status, 200, p.text);
  // A marker event that fires 'On get' in every ruleset here: once it is alerted, the
  // event before it was judged too (detection keeps the order).
  const marker = `${id}-marker`;
  await postAudit(r.s.port, eventList([auditEvent({ auditID: marker, verb: 'get' })]));
  await waitFor(`the marker after ${id}`, () =>
    rulesFor(r.alerts, marker).length > 0 ? true : undefined,
  );
  const got = rulesFor(r.alerts, id);
  assert.deepEqual(got, [...expect].sort(), `${verb} event ${id}`);
  return got;
}

function logLines(s: ServeProcess, msg: string): string[] {
  return s
    .stderr()
    .split('\n')
    .filter((l) => l.includes(`"msg":"${msg}"`));
}

/** Does `change`, then waits for a new log line with this message and returns it. */
async function afterLogged(s: ServeProcess, msg: string, change: () => void): Promise<string> {
  const before = logLines(s, msg).length;
  change();
  return waitFor(`a new log line '${msg}'`, () => logLines(s, msg)[before]);
}

test('SIGHUP reloads the rules: a rule added to the file starts firing', async () => {
  const dir = tempDir();
  const rules = writeRules(dir, verbRule('get'));
  const r = await serve(rules, ['--no-watch-rules']);
  await firedOn(r, 'delete', []);
  writeFileSync(rules, verbRule('get') + verbRule('delete'));
  // Without the signal (and with watching off) nothing changes.
  await firedOn(r, 'delete', []);
  const line = await afterLogged(r.s, 'rules reloaded', () => r.s.child.kill('SIGHUP'));
  assert.match(line, /"reason":"SIGHUP","rules":2/);
  await firedOn(r, 'delete', ['On delete']);
  const m = await scrape(r.s.port);
  assert.equal(m.value('kaudit_rules_reloads_total', { result: 'ok' }), 1);
  assert.equal(m.value('kaudit_rules_loaded'), 2);
});

test('a rules file edited in place, or replaced by a rename, is reloaded each time', async () => {
  const dir = tempDir();
  const rules = writeRules(dir, verbRule('get'));
  const r = await serve(rules);
  const line = await afterLogged(r.s, 'rules reloaded', () =>
    writeFileSync(rules, verbRule('get') + verbRule('delete')),
  );
  assert.match(line, /"reason":"rules file changed"/);
  await firedOn(r, 'delete', ['On delete']);
  // Editors and `kubectl cp` write a new file and rename it over the old one.
  const replace = (text: string): void => {
    const tmp = join(dir, `.rules.yaml.${++seq}`);
    writeFileSync(tmp, text);
    renameSync(tmp, rules);
  };
  await afterLogged(r.s, 'rules reloaded', () => replace(verbRule('get') + verbRule('patch')));
  await firedOn(r, 'patch', ['On patch']);
  await firedOn(r, 'delete', []);
  await afterLogged(r.s, 'rules reloaded', () => replace(verbRule('get') + verbRule('update')));
  await firedOn(r, 'update', ['On update']);
});

test('a rules file in a mounted ConfigMap is reloaded on every update (the kubelet swaps a ..data symlink)', async () => {
  // What the kubelet's atomic writer does: files live in a timestamped directory,
  // `..data` points at it, `rules.yaml` points into `..data`; an update writes a new
  // directory, renames a new `..data` link over the old one and removes the old directory.
  const mount = tempDir();
  let version = 0;
  const publish = (text: string): void => {
    const ts = `..2026_12_01_00_00_0${++version}`;
    mkdirSync(join(mount, ts));
    writeFileSync(join(mount, ts, 'rules.yaml'), text);
    const tmpLink = join(mount, '..data_tmp');
    symlinkSync(ts, tmpLink);
    renameSync(tmpLink, join(mount, '..data'));
    if (version > 1) rmSync(join(mount, `..2026_12_01_00_00_0${version - 1}`), { recursive: true });
  };
  publish(verbRule('get'));
  symlinkSync('..data/rules.yaml', join(mount, 'rules.yaml'));
  const r = await serve(join(mount, 'rules.yaml'));
  for (const verb of ['delete', 'patch', 'update']) {
    await afterLogged(r.s, 'rules reloaded', () => publish(verbRule('get') + verbRule(verb)));
    await firedOn(r, verb, [`On ${verb}`]);
  }
});

test('a broken rules file leaves the old rules running and logs the error with file:line:col', async () => {
  const dir = tempDir();
  const rules = writeRules(dir, verbRule('get') + verbRule('delete'));
  const r = await serve(rules, ['--no-watch-rules']);
  await firedOn(r, 'delete', ['On delete']);
  const broken = `${verbRule('get')}- rule: Broken\n  desc: d\n  condition: ka.verb = create and (\n  output: x\n  priority: INFO\n  source: k8s_audit\n`;
  writeFileSync(rules, broken);
  const line = await afterLogged(r.s, 'rules reload failed; the previous rules keep running', () =>
    r.s.child.kill('SIGHUP'),
  );
  const log = JSON.parse(line) as { level: number; errors: string[] };
  assert.equal(log.level, 50, 'logged as an error');
  const brokenLine =
    broken.split('\n').findIndex((l) => l.includes('condition: ka.verb = create and (')) + 1;
  assert.ok(
    log.errors.some(
      (e) => e.startsWith(`${rules}:${brokenLine}:`) && e.includes('LOAD_ERR_COMPILE_CONDITION'),
    ),
    log.errors.join('\n'),
  );
  // The old rules still run: 'On delete' fires though the file no longer has it.
  await firedOn(r, 'delete', ['On delete']);
  const m = await scrape(r.s.port);
  assert.equal(m.value('kaudit_rules_reloads_total', { result: 'failed' }), 1);
  assert.equal(m.value('kaudit_rules_loaded'), 2);
  // Fixed: the next reload takes it.
  writeFileSync(rules, verbRule('get'));
  await afterLogged(r.s, 'rules reloaded', () => r.s.child.kill('SIGHUP'));
  await firedOn(r, 'delete', []);
});

test('SIGHUP reopens file outputs: after a logrotate rename, new alerts go to a new file at the path', async () => {
  const dir = tempDir();
  const r = await serve(writeRules(dir, verbRule('get')), ['--no-watch-rules']);
  await firedOn(r, 'get', ['On get']);
  const rotated = `${r.alerts}.1`;
  renameSync(r.alerts, rotated);
  // Before the signal, the output still writes to the renamed file (its open handle).
  const before = await firedOn({ s: r.s, alerts: rotated }, 'get', ['On get']);
  assert.equal(before.length, 1);
  await afterLogged(r.s, 'rules reloaded', () => r.s.child.kill('SIGHUP'));
  await firedOn(r, 'get', ['On get']);
  // The new file holds only what came after the signal; nothing was lost or repeated.
  const all = [...readAlerts(rotated), ...readAlerts(r.alerts)].map((a) => String(a.output));
  assert.equal(new Set(all).size, all.length);
  assert.equal(readAlerts(r.alerts).length, 2, 'the event after SIGHUP and its marker');
  assert.equal(readAlerts(rotated).length, 4, 'two events and their markers before it');
});
