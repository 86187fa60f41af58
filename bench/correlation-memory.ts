// Memory of correlation under a flood of distinct group keys: one million events, each
// from a new user, through a threshold rule (by user, 1h window, so nothing expires and
// only the group cap bounds the state). Prints heap after GC, peak RSS and the counters.
//   node --expose-gc --import tsx bench/correlation-memory.ts [--keys 1000000] [--max-groups N]
import { parseArgs } from 'node:util';
import type { AuditRecord } from '../src/events/index.ts';
import { createDetector } from '../src/pipeline/index.ts';
import { loadRules } from '../src/rules/index.ts';

const { values: o } = parseArgs({
  options: { keys: { type: 'string', default: '1000000' }, 'max-groups': { type: 'string' } },
});
const RULES = `
- rule: Forbidden Burst
  desc: bench
  correlate:
    type: threshold
    count: 5
    within: 1h
    by: [ka.user.name]
    condition: ka.response.code = 403
  output: burst %ka.user.name
  priority: WARNING
  source: k8s_audit
`;
const loaded = loadRules([{ name: 'bench.yaml', content: RULES }]);
if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
const d = createDetector(loaded.rules, {
  ruleMatching: 'all',
  hostname: 'h',
  fastpath: false,
  ...(o['max-groups'] ? { correlation: { maxGroups: Number(o['max-groups']) } } : {}),
});
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const t0 = Date.UTC(2026, 0, 1) / 1000;
const keys = Number(o.keys);
const started = performance.now();
const cpu0 = process.cpuUsage();
let alerts = 0;
for (let i = 0; i < keys; i++) {
  const sec = t0 + Math.floor(i / 1000);
  const rec: AuditRecord = {
    obj: {
      kind: 'Event',
      auditID: `id-${i}`,
      stage: 'ResponseComplete',
      verb: 'get',
      user: { username: `user-${i}` },
      responseStatus: { code: 403 },
    },
    source: 'k8s_audit',
    timeNs: `${sec}${String((i % 1000) * 1_000_000).padStart(9, '0')}`,
    num: i + 1,
  };
  alerts += d.process(rec).length;
}
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpu0);
const cpuS = (cpu.user + cpu.system) / 1e6;
gc?.();
const heapAfter = process.memoryUsage().heapUsed;
const s = d.correlator?.stats;
console.log(
  `${keys} distinct keys in ${ms.toFixed(0)} ms (${cpuS.toFixed(1)} s CPU): heap +${((heapAfter - heapBefore) / 1048576).toFixed(1)} MiB after GC, ` +
    `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; groups ${s?.groups}, ` +
    `evicted ${s?.evicted}, buffered ${s?.buffered}, alerts ${alerts}`,
);
