// `kaudit detect` refuses a missing or malformed bus, store or listen address in one line
// with the usage exit code, before it connects to anything.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runKaudit } from '../helpers/cli.ts';

const STORE = 'postgres://kaudit@127.0.0.1:1/kaudit';
for (const [args, message] of [
  [['--store', STORE], /^kaudit: detect: --bus is required\n$/],
  [
    ['--bus', 'http://n:4222', '--store', STORE],
    /^kaudit: detect: --bus: expected nats:\/\/HOST:PORT/,
  ],
  [['--bus', 'nats://n:4222'], /^kaudit: detect: --store postgres:\/\/\.\.\. is required/],
  [
    ['--bus', 'nats://n:4222', '--store', './kaudit-data'],
    /--store postgres:\/\/\.\.\. is required/,
  ],
  [
    ['--bus', 'nats://n:4222', '--store', STORE, '--listen', 'nowhere'],
    /--listen: expected HOST:PORT, got 'nowhere'/,
  ],
] as const) {
  test(`kaudit detect ${args.join(' ')}: one line, exit 2`, () => {
    const r = runKaudit(['detect', ...args]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
}
