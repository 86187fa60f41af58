import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StoredAlert } from '../../ui/src/api/types.ts';
import {
  addLive,
  appendPage,
  firstPage,
  MAX_ITEMS,
  MAX_PENDING,
  showPending,
} from '../../ui/src/lib/alert-list.ts';

function alert(id: number, sec: number): StoredAlert {
  return {
    id: String(id),
    time: '',
    timeNs: `${1_772_446_800 + sec}000000000`,
    rule: 'r',
    priority: 'Notice',
    source: 'k8s_audit',
    tags: [],
    hostname: 'h',
    cluster: null,
    output: '',
    message: '',
    outputFields: {},
    namespace: null,
    user: null,
    verb: null,
    resource: null,
    name: null,
    auditId: null,
    stage: null,
    sourceIp: null,
    userAgent: null,
    responseCode: null,
    redacted: false,
  };
}
const ids = (xs: readonly StoredAlert[]) => xs.map((a) => a.id);

describe('alert list state', () => {
  test('pages append in order and an alert seen twice is shown once', () => {
    let s = firstPage([alert(5, 50), alert(4, 40)], 'c1');
    s = appendPage(s, [alert(4, 40), alert(3, 30)], null);
    assert.deepEqual(ids(s.items), ['5', '4', '3']);
    assert.equal(s.next, null);
  });

  test('a live alert goes on top at once when the reader is at the top', () => {
    const s = addLive(firstPage([alert(5, 50)], null), alert(6, 60), true);
    assert.deepEqual(ids(s.items), ['6', '5']);
    assert.equal(s.pending.length, 0);
  });

  test('scrolled down, live alerts wait in pending, newest first, until shown', () => {
    let s = firstPage([alert(5, 50)], null);
    s = addLive(s, alert(6, 60), false);
    s = addLive(s, alert(7, 70), false);
    s = addLive(s, alert(7, 70), false);
    assert.deepEqual(ids(s.items), ['5']);
    assert.deepEqual(ids(s.pending), ['7', '6']);
    s = showPending(s);
    assert.deepEqual(ids(s.items), ['7', '6', '5']);
    assert.equal(s.pending.length, 0);
  });

  test('a late live alert is placed by its time, ids compared as numbers', () => {
    let s = firstPage([alert(10, 50), alert(9, 40)], null);
    s = addLive(s, alert(11, 45), true);
    assert.deepEqual(ids(s.items), ['10', '11', '9']);
    s = addLive(s, alert(100, 50), true);
    assert.deepEqual(ids(s.items), ['100', '10', '11', '9']);
    // Same time, smaller id: below the larger ids.
    s = addLive(s, alert(8, 50), true);
    assert.deepEqual(ids(s.items), ['100', '10', '8', '11', '9']);
  });

  test('times of different lengths compare as numbers, not as text', () => {
    const at = (id: number, timeNs: string) => ({ ...alert(id, 0), timeNs });
    let s = firstPage([at(2, '1000000000')], null);
    s = addLive(s, at(3, '999999999'), true);
    assert.deepEqual(ids(s.items), ['2', '3']);
  });

  test('pending is bounded; the rest are counted', () => {
    let s = firstPage([], null);
    s = addLive(s, alert(0, 0), false);
    for (let i = 1; i <= MAX_PENDING + 10; i++) s = addLive(s, alert(i, i), false);
    assert.equal(s.pending.length, MAX_PENDING);
    assert.equal(s.overflow, 11);
  });

  test('the list is bounded and paging stops where rows were dropped', () => {
    const many = Array.from({ length: MAX_ITEMS }, (_, i) => alert(MAX_ITEMS - i, MAX_ITEMS - i));
    let s = firstPage(many, 'c');
    s = addLive(s, alert(MAX_ITEMS + 1, MAX_ITEMS + 1), true);
    assert.equal(s.items.length, MAX_ITEMS);
    assert.equal(s.items[0]?.id, String(MAX_ITEMS + 1));
    assert.equal(s.next, null);
    assert.equal(s.truncated, true);
  });
});
