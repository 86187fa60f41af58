import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { anyDeleteRule, runKaudit } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';

// Issue #11: "Bytes read" in --summary counted only the text of lines that reached the
// decoder (UTF-16 units), so skipped, too-long and non-UTF-8 lines, CRs and multibyte
// characters were missing: 389,082 "bytes" of a 5,635,633-byte log.

const dir = mkdtempSync(join(tmpdir(), 'kaudit-bytes-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const rules = join(dir, 'rules.yaml');
writeFileSync(rules, anyDeleteRule('delete by %ka.user.name'));

const parts: Buffer[] = [Buffer.from('\ufeff')];
for (let i = 0; i < 600; i++) {
  const ev = auditEvent({ verb: i % 10 === 0 ? 'delete' : 'get', user: { username: `ü-${i}` } });
  parts.push(Buffer.from(`${JSON.stringify(ev)}${i % 3 === 0 ? '\r\n' : '\n'}`));
  if (i === 100) parts.push(Buffer.from(`${'x'.repeat(5 * 1024 * 1024)}\n`)); // too long
  if (i === 200) parts.push(Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a])); // not UTF-8
  if (i === 300) parts.push(Buffer.from('{"kind":"Event", broken\n'));
}
parts.push(Buffer.from(JSON.stringify(auditEvent({ verb: 'delete' })))); // no final newline
const text = Buffer.concat(parts);
const log = join(dir, 'mixed.log');
writeFileSync(log, text);
const gz = join(dir, 'mixed.log.gz');
writeFileSync(gz, gzipSync(text));

function bytesRead(stderr: string): number {
  const m = /\nBytes read: (\d+) /.exec(stderr);
  assert.ok(m, stderr);
  return Number(m[1]);
}

for (const [name, args] of [
  ['one thread, prefilter on', []],
  ['one thread, --no-fastpath', ['--no-fastpath']],
  ['--workers 2, small chunks', ['--workers', '2']],
] as const) {
  test(`kaudit scan --summary: Bytes read is the file's size (${name})`, () => {
    const r = runKaudit(['scan', '-r', rules, '--summary', ...args, log], {
      env: { KAUDIT_CHUNK_BYTES: '65536' },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(bytesRead(r.stderr), statSync(log).size);
  });
}

test('kaudit scan --summary: Bytes read of a gzip log is its uncompressed size', () => {
  const r = runKaudit(['scan', '-r', rules, '--summary', gz]);
  assert.equal(bytesRead(r.stderr), text.length);
});
