import { MIXES } from '../generate.ts';
import { JSON_PARSE_ROW, kaudit } from './common.ts';
import type { CommandRow, Suite } from './types.ts';

const scanArgs = (rules: string): string[] => [
  'scan',
  '-r',
  rules,
  '--format',
  'json',
  '--no-progress',
];

/** The kaudit scan rows; edit the argv here to benchmark other options. */
export const SCAN_ROWS: readonly CommandRow[] = [
  JSON_PARSE_ROW,
  {
    kind: 'command',
    name: 'kaudit scan --workers 1',
    argv: (c) => kaudit(c, ...scanArgs(c.rules), '--workers', '1', c.file),
  },
  {
    kind: 'command',
    name: 'kaudit scan --workers 1 --no-fastpath',
    argv: (c) => kaudit(c, ...scanArgs(c.rules), '--workers', '1', '--no-fastpath', c.file),
  },
  {
    kind: 'command',
    name: 'kaudit scan --workers 2',
    oneThreadRow: 'kaudit scan --workers 1',
    argv: (c) => kaudit(c, ...scanArgs(c.rules), '--workers', '2', c.file),
  },
];

export const SCAN_SUITE: Suite = {
  name: 'scan',
  description: "kaudit scan with Falco's k8s_audit_rules.yaml vs read+split+JSON.parse",
  cases: MIXES.map((mix) => ({ corpus: { mix }, rows: SCAN_ROWS })),
};

/** Events of the workers suite's log: a busy cluster's day-sized file (about 930 MiB). */
export const WORKERS_EVENTS = 600_000;

export const WORKERS_SUITE: Suite = {
  name: 'workers',
  description: `kaudit scan on one and two threads over ${WORKERS_EVENTS} busy events (a large file)`,
  cases: [
    {
      corpus: { mix: 'busy', events: WORKERS_EVENTS },
      rows: [
        JSON_PARSE_ROW,
        ...SCAN_ROWS.filter((r) => r.name.startsWith('kaudit') && !r.name.includes('fastpath')),
      ],
    },
  ],
};
