import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createEngine } from '../../src/engine/index.ts';
import { createPrefilter } from '../../src/fastpath/index.ts';
import { defaultFieldRegistry } from '../../src/fields/index.ts';
import { readCachedLoad, rulesCacheKey, writeCachedLoad } from '../../src/rules/cache.ts';
import { loadRules } from '../../src/rules/index.ts';
import type { Suite } from './types.ts';

async function readRules(path: string) {
  return [{ name: basename(path), content: await readFile(path, 'utf8') }];
}

export const LOAD_SUITE: Suite = {
  name: 'load',
  description: "loading Falco's k8s_audit_rules.yaml in-process (no subprocess)",
  cases: [
    {
      rows: [
        {
          kind: 'inproc',
          name: 'loadRules',
          setup: async (c) => {
            const sources = await readRules(c.rules);
            return () => loadRules(sources);
          },
        },
        {
          // What a start-up with a warm rules cache does instead of loadRules.
          kind: 'inproc',
          name: 'rules cache hit (key + read + JSON.parse)',
          setup: async (c) => {
            const sources = await readRules(c.rules);
            const dir = mkdtempSync(join(tmpdir(), 'kaudit-bench-cache-'));
            writeCachedLoad(dir, rulesCacheKey(sources, {}), loadRules(sources));
            return () => readCachedLoad(dir, rulesCacheKey(sources, {}));
          },
        },
        {
          kind: 'inproc',
          name: 'loadRules + createEngine + createPrefilter',
          setup: async (c) => {
            const sources = await readRules(c.rules);
            return () => {
              const { rules } = loadRules(sources);
              const engine = createEngine({ rules, hostname: 'bench' });
              return createPrefilter(
                engine.activeRules.map((r) => r.condition),
                { registry: defaultFieldRegistry, source: 'k8s_audit' },
              );
            };
          },
        },
      ],
    },
  ],
};
