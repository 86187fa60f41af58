import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertListener } from '../../../src/store/index.ts';
import { makeAlert } from '../../helpers/store-alerts.ts';
import { ADMIN_TOKEN, type ApiServer, startApi } from './harness.ts';

/** Reads server-sent events from a real HTTP response, frame by frame. */
async function openStream(s: ApiServer, query: string) {
  const ac = new AbortController();
  const res = await fetch(`${s.url}/api/v1/alerts/stream${query}`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    signal: ac.signal,
  });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buf = '';
  const next = async (): Promise<string> => {
    for (;;) {
      const end = buf.indexOf('\n\n');
      if (end >= 0) {
        const frame = buf.slice(0, end);
        buf = buf.slice(end + 2);
        return frame;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buf += decoder.decode(value, { stream: true });
    }
  };
  return { res, next, close: () => ac.abort() };
}

/** Counts the store's live subscriptions (the stream's cleanup shows there). */
function countSubscriptions(s: ApiServer): () => number {
  let n = 0;
  const subscribe = s.store.subscribe.bind(s.store);
  s.store.subscribe = (l: AlertListener) => {
    n++;
    const stop = subscribe(l);
    return () => {
      n--;
      stop();
    };
  };
  return () => n;
}

describe('GET /api/v1/alerts/stream', () => {
  it('sends each new matching alert as an event, and only those', async () => {
    const s = await startApi();
    try {
      const st = await openStream(s, '?priority=error&namespace=shop');
      assert.equal(st.res.status, 200);
      assert.match(st.res.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.match(await st.next(), /^retry: \d+\n: connected$/);
      await s.store.insert([
        makeAlert({ rule: 'low', priority: 'Notice', namespace: 'shop' }),
        makeAlert({ rule: 'other-ns', priority: 'Critical', namespace: 'bank' }),
        makeAlert({ rule: 'match', priority: 'Critical', namespace: 'shop' }),
      ]);
      const frame = await st.next();
      const lines = frame.split('\n');
      assert.match(lines[0] as string, /^id: \d+$/);
      assert.equal(lines[1], 'event: alert');
      const alert = JSON.parse((lines[2] as string).slice('data: '.length));
      assert.equal(alert.rule, 'match');
      const stored = (await s.store.list({ rule: ['match'] })).items[0];
      assert.deepEqual(alert, JSON.parse(JSON.stringify(stored)));
      await s.store.insert([makeAlert({ rule: 'match2', priority: 'Error', namespace: 'shop' })]);
      assert.match(await st.next(), /"rule":"match2"/);
      st.close();
    } finally {
      await s.close();
    }
  });

  it('keeps an idle stream open with comment lines', async () => {
    const s = await startApi({ stream: { keepAliveMs: 50 } });
    try {
      const st = await openStream(s, '');
      await st.next();
      assert.equal(await st.next(), ': keep-alive');
      assert.equal(await st.next(), ': keep-alive');
      st.close();
    } finally {
      await s.close();
    }
  });

  it('unsubscribes when the client goes away, and server close ends open streams', async () => {
    const s = await startApi();
    const subs = countSubscriptions(s);
    try {
      const a = await openStream(s, '');
      const b = await openStream(s, '');
      await a.next();
      await b.next();
      assert.equal(subs(), 2);
      a.close();
      for (let i = 0; i < 100 && subs() !== 1; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(subs(), 1, 'the closed stream unsubscribed');
      await s.store.insert([makeAlert({ rule: 'after' })]);
      assert.match(await b.next(), /"rule":"after"/);
    } finally {
      await s.close();
    }
    assert.equal(subs(), 0, 'closing the server ended the open stream');
  });

  it('refuses a stream past the limit with 503 and a bad filter with 400', async () => {
    const s = await startApi({ stream: { maxStreams: 1 } });
    try {
      const a = await openStream(s, '');
      await a.next();
      const res = await fetch(`${s.url}/api/v1/alerts/stream`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      assert.equal(res.status, 503);
      assert.equal(
        ((await res.json()) as { error: { code: string } }).error.code,
        'too_many_streams',
      );
      const bad = await fetch(`${s.url}/api/v1/alerts/stream?priority=x`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      assert.equal(bad.status, 400);
      a.close();
    } finally {
      await s.close();
    }
  });
});
