#!/usr/bin/env node
// `npm start`: kaudit serve on loopback with its data (spool, alert store) in ./kaudit-data,
// and, when the store is still empty, the sample log examples/audit.log sent through the
// real webhook (as kube-apiserver would send it), its times moved so that it ends now and
// the dashboard's default "last 24 hours" shows it. Prints the UI's URL with a fresh admin
// token, as Jupyter does. Extra arguments go to `kaudit serve`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const token = randomBytes(24).toString('base64url');
const port = process.env.PORT ?? '9765';
const base = `http://127.0.0.1:${port}`;

const child = spawn(
  process.execPath,
  [
    join(root, 'bin', 'kaudit'),
    'serve',
    '--listen',
    `127.0.0.1:${port}`,
    '--data-dir',
    process.env.KAUDIT_DATA_DIR ?? join(root, 'kaudit-data'),
    ...process.argv.slice(2),
  ],
  {
    cwd: root,
    // The token goes through the environment: a flag would show in `ps`.
    env: { ...process.env, KAUDIT_API_TOKENS: `${token}:admin` },
    stdio: ['ignore', 'inherit', 'pipe'],
  },
);
let ready = false;
child.stderr.setEncoding('utf8');
child.stderr.on('data', (text) => {
  // The server's own URL line names no token here (tokens were given); ours replaces it.
  for (const line of text.split('\n')) {
    if (line.startsWith('kaudit UI and API:')) continue;
    if (line !== '') process.stderr.write(`${line}\n`);
    if (!ready && line.includes('listening on')) {
      ready = true;
      void afterStart();
    }
  }
});
child.on('exit', (code) => process.exit(code ?? 1));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill('SIGTERM'));

async function storeIsEmpty() {
  const r = await fetch(`${base}/api/v1/alerts?limit=1`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!r.ok) throw new Error(`the API answered ${r.status}`);
  const body = await r.json();
  return body.items.length === 0;
}

/** The sample log's events, their times shifted so the last one is now. */
function sampleEvents() {
  const events = readFileSync(join(root, 'examples', 'audit.log'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
  const last = Math.max(...events.map((e) => Date.parse(e.stageTimestamp)));
  const shiftMs = Date.now() - last;
  const shift = (t) => {
    if (typeof t !== 'string') return t;
    const frac = /\.(\d+)Z$/.exec(t)?.[1] ?? '';
    const moved = new Date(Date.parse(t) + shiftMs).toISOString().replace(/\.\d+Z$/, '');
    return `${moved}${frac === '' ? '' : `.${frac}`}Z`;
  };
  for (const e of events) {
    e.requestReceivedTimestamp = shift(e.requestReceivedTimestamp);
    e.stageTimestamp = shift(e.stageTimestamp);
  }
  return events;
}

async function afterStart() {
  try {
    if (await storeIsEmpty()) {
      const events = sampleEvents();
      for (let i = 0; i < events.length; i += 400) {
        const items = events.slice(i, i + 400);
        const r = await fetch(`${base}/k8s-audit`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items }),
        });
        if (!r.ok) throw new Error(`the webhook answered ${r.status}`);
      }
      process.stderr.write(`loaded ${events.length} sample events from examples/audit.log\n`);
    }
    process.stderr.write(
      `\n  kaudit is running. Open the dashboard:\n\n    ${base}/?token=${token}\n\n`,
    );
  } catch (err) {
    process.stderr.write(`kaudit start: ${err.message}\n`);
  }
}
