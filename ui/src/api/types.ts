// The HTTP API's shapes (see docs/ui.md and the API's openapi.json). Every string in
// them can come from an audit event, so every one is attacker-controlled text.

import type { Priority } from '../../../src/rules/priority.ts';

export type { Priority };

export interface StoredAlert {
  readonly id: string;
  readonly time: string;
  readonly timeNs: string;
  readonly rule: string;
  readonly priority: Priority;
  readonly source: string;
  readonly tags: readonly string[];
  readonly hostname: string;
  readonly cluster: string | null;
  readonly output: string;
  readonly message: string;
  readonly outputFields: Readonly<Record<string, string | readonly string[] | null>>;
  readonly namespace: string | null;
  readonly user: string | null;
  readonly verb: string | null;
  readonly resource: string | null;
  readonly name: string | null;
  readonly auditId: string | null;
  readonly stage: string | null;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  readonly responseCode: number | null;
  readonly redacted: boolean;
  /** A correlated rule's alert: what made it; null (or absent, older servers) otherwise. */
  readonly correlation?: Correlation | null;
}

export interface RuleInfo {
  readonly description: string;
  readonly condition: string;
  readonly tags: readonly string[];
  readonly priority: string;
  readonly source: string;
  readonly defined: string;
}

export interface Correlation {
  readonly count: number;
  readonly windowMs: number;
  readonly group: Readonly<Record<string, string>>;
  readonly auditIds: readonly string[];
  /** On the alert that closes a suppression window: how many alerts it held back. */
  readonly suppressed?: number;
}

export interface StoredAlertWithEvent extends StoredAlert {
  readonly event: unknown;
  readonly ruleInfo: RuleInfo | null;
  readonly explanation?: unknown;
}

export interface AlertPage {
  readonly items: readonly StoredAlert[];
  readonly next: string | null;
}

export type CountsBy = 'priority' | 'rule' | 'user' | 'namespace';

export interface CountsResponse {
  readonly by: CountsBy;
  readonly bucketMs: number;
  readonly from: string | null;
  readonly to: string | null;
  readonly totals: readonly { readonly key: string; readonly count: number }[];
  readonly buckets: readonly {
    readonly t: string;
    readonly counts: Readonly<Record<string, number>>;
  }[];
}

export interface WhoAmI {
  readonly role: 'read' | 'admin';
}
