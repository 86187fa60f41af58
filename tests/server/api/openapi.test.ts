import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, startApi } from './harness.ts';

describe('GET /api/v1/openapi.json', () => {
  it('documents every route the plugin serves, and every documented operation answers', async () => {
    const served = new Set<string>();
    const s = await startApi({}, (app) =>
      app.addHook('onRoute', (r) => {
        if (!r.url.startsWith('/api/v1/')) return;
        for (const m of [r.method].flat()) served.add(`${m} ${r.url}`);
      }),
    );
    try {
      const doc = (await call(s, '/api/v1/openapi.json', { token: null })).body;
      assert.equal(doc.openapi, '3.1.0');
      const documented = new Set<string>();
      for (const [path, ops] of Object.entries(doc.paths as Record<string, object>)) {
        for (const method of Object.keys(ops)) {
          documented.add(`${method.toUpperCase()} /api/v1${path.replace('{id}', ':id')}`);
        }
      }
      const servedMain = [...served].filter((r) => !r.startsWith('HEAD ')).sort();
      assert.deepEqual([...documented].sort(), servedMain);
      for (const op of documented) {
        const [method, path] = op.split(' ') as [string, string];
        if (path.endsWith('/stream')) continue;
        if (path.includes(':id')) continue;
        const r = await call(s, path.replace('/export', '/export?format=ndjson'), { method });
        assert.notEqual(r.status, 404, op);
      }
      for (const schema of Object.values(doc.components.schemas as Record<string, object>)) {
        const refs = JSON.stringify(schema).match(/#\/components\/schemas\/(\w+)/g) ?? [];
        for (const ref of refs)
          assert.ok((ref.split('/').pop() as string) in doc.components.schemas, ref);
      }
    } finally {
      await s.close();
    }
  });
});
