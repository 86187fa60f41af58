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
    argv: (c) => kaudit(c, ...scanArgs(c.rules), '--workers', '2', c.file),
  },
];

export const SCAN_SUITE: Suite = {
  name: 'scan',
  description: "kaudit scan with Falco's k8s_audit_rules.yaml vs read+split+JSON.parse",
  cases: MIXES.map((mix) => ({ corpus: { mix }, rows: SCAN_ROWS })),
};
