import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, test } from 'node:test';
import type { AuditRecord } from '../../src/events/record.ts';
import { createFieldRegistry } from '../../src/fields/index.ts';

const registry = createFieldRegistry();
const savedTz = process.env.TZ;
const savedHost = process.env.FALCO_HOSTNAME;
after(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
  if (savedHost === undefined) delete process.env.FALCO_HOSTNAME;
  else process.env.FALCO_HOSTNAME = savedHost;
});

// 2018-10-25T13:58:49.736141Z, an apiserver stageTimestamp (µs), and an early time.
const REC: AuditRecord = { obj: {}, source: 'k8s_audit', timeNs: '1540475929736141000', num: 7 };
const EARLY: AuditRecord = { ...REC, timeNs: '5' };

function get(name: string, rec: AuditRecord = REC): unknown {
  return registry.get(name)?.bind(undefined)(rec);
}

test('evt.time follows the local time zone (Asia/Kolkata, +05:30)', () => {
  process.env.TZ = 'Asia/Kolkata';
  assert.equal(get('evt.time'), '19:28:49.736141000');
  assert.equal(get('evt.time.s'), '19:28:49');
  assert.equal(get('evt.datetime'), '2018-10-25 19:28:49.736141000');
  assert.equal(get('evt.datetime.s'), '2018-10-25 19:28:49');
  assert.equal(get('evt.time.iso8601'), '2018-10-25T13:58:49.736141000+0000');
});

test('evt.rawtime splits into seconds and nanoseconds', () => {
  assert.equal(get('evt.rawtime'), '1540475929736141000');
  assert.equal(get('evt.rawtime.s'), '1540475929');
  assert.equal(get('evt.rawtime.ns'), '736141000');
  assert.equal(get('evt.rawtime', EARLY), '5');
  assert.equal(get('evt.rawtime.s', EARLY), '0');
  assert.equal(get('evt.rawtime.ns', EARLY), '5');
});

test('evt time fields are absent when the record time is not a decimal', () => {
  const bad: AuditRecord = { ...REC, timeNs: 'soon' };
  for (const n of [
    'evt.time',
    'evt.time.iso8601',
    'evt.datetime',
    'evt.rawtime',
    'evt.rawtime.s',
  ]) {
    assert.equal(get(n, bad), undefined, n);
  }
});

test('evt.hostname is FALCO_HOSTNAME when set, else the machine name', () => {
  process.env.FALCO_HOSTNAME = 'node-a';
  assert.equal(get('evt.hostname'), 'node-a');
  delete process.env.FALCO_HOSTNAME;
  assert.equal(get('evt.hostname'), hostname());
});

test('evt.num is the record number', () => {
  assert.equal(get('evt.num'), '7');
});
