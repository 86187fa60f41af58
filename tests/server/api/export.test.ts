import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeAlert } from '../../helpers/store-alerts.ts';
import { type ApiServer, call, startApi } from './harness.ts';

/** RFC 4180 fields of one CSV text (quoted fields may hold commas, quotes, newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('GET /api/v1/alerts/export', () => {
  let s: ApiServer;
  before(async () => {
    s = await startApi();
    await s.store.insert(
      Array.from({ length: 1100 }, (_, i) =>
        makeAlert({ rule: i % 2 === 0 ? 'even' : 'odd', at: i }),
      ),
    );
    await s.store.insert([
      makeAlert({
        rule: 'hostile',
        at: 5000,
        user: '=HYPERLINK("http://x","y")',
        namespace: '+cmd',
        name: '@SUM(1)',
        message: 'a,"b"\nc',
      }),
    ]);
  });
  after(() => s.close());

  it('streams NDJSON: one StoredAlert per line, every matching alert across store pages', async () => {
    const r = await call(s, '/api/v1/alerts/export?format=ndjson&rule=even');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^application\/x-ndjson/);
    assert.match(
      r.headers.get('content-disposition') ?? '',
      /^attachment; filename="kaudit-alerts-[\d-T]+\.ndjson"$/,
    );
    const lines = (r.body as string).split('\n');
    assert.equal(lines.pop(), '', 'ends with a newline');
    assert.equal(lines.length, 550);
    const alerts = lines.map((l) => JSON.parse(l));
    assert.ok(alerts.every((a) => a.rule === 'even'));
    assert.equal(new Set(alerts.map((a) => a.id)).size, 550);
    const first = await call(s, `/api/v1/alerts/${alerts[0].id}`);
    assert.deepEqual(
      { ...first.body, event: undefined, ruleInfo: undefined },
      { ...alerts[0], event: undefined, ruleInfo: undefined },
    );
  });

  it('streams CSV with a header, quoting, and formula cells neutralised', async () => {
    const r = await call(s, '/api/v1/alerts/export?format=csv');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/csv/);
    const rows = parseCsv(r.body as string);
    const header = rows[0] as string[];
    assert.deepEqual(header.slice(0, 3), ['time', 'priority', 'rule']);
    assert.equal(rows.length, 1 + 1101);
    const col = (name: string) => header.indexOf(name);
    const hostile = rows.find((row) => row[col('rule')] === 'hostile') as string[];
    assert.equal(hostile[col('user')], `'=HYPERLINK("http://x","y")`);
    assert.equal(hostile[col('namespace')], `'+cmd`);
    assert.equal(hostile[col('name')], `'@SUM(1)`);
    // The output column is the text alert line: quotes and commas are CSV-quoted, and a
    // control character from the event is escaped as in every text alert (docs/inputs.md).
    assert.match(hostile[col('output')] as string, /: Warning a,"b"\\nc$/);
    for (const row of rows) {
      for (const cell of row)
        assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `a cell starts a formula: ${cell}`);
    }
  });

  it('refuses an unknown format or a bad filter before it starts the stream', async () => {
    for (const q of ['format=xlsx', '', 'format=csv&priority=nope', 'format=csv&from=x']) {
      const r = await call(s, `/api/v1/alerts/export?${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(typeof r.body.error.code, 'string');
    }
  });
});
