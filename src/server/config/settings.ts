/**
 * Every setting of `kaudit serve`, once: its key in the config file, its flag and its
 * environment variable are all derived from this table, so none can be forgotten.
 * Precedence: flag, then KAUDIT_* variable, then the config file, then the default.
 */

/** How a setting's text is read. */
export type SettingType = 'string' | 'list' | 'boolean' | 'size' | 'duration' | 'integer';

export interface SettingDef {
  /** Key in kaudit.yaml (camelCase, as Kubernetes configs write them). */
  readonly key: string;
  /** Long flag without dashes (kebab-case). */
  readonly flag: string;
  /** One-letter alias, if any. */
  readonly short?: string;
  readonly type: SettingType;
  /** For `choice`-like strings: the accepted values. */
  readonly choices?: readonly string[];
  readonly description: string;
  /** The value's name in help, e.g. HOST:PORT. */
  readonly arg?: string;
  /** The same setting's key in falco.yaml, accepted in the file and by `-o` too. */
  readonly falcoKey?: string;
}

export const SETTINGS: readonly SettingDef[] = [
  {
    key: 'listen',
    flag: 'listen',
    type: 'string',
    arg: 'HOST:PORT',
    description: 'address to listen on (default 127.0.0.1:9765, as Falco k8saudit)',
  },
  {
    key: 'dataDir',
    flag: 'data-dir',
    type: 'string',
    arg: 'DIR',
    description:
      'where the spool, the delivery state and the alert store live (default ./kaudit-data)',
  },
  {
    key: 'tokenFile',
    flag: 'token-file',
    type: 'string',
    arg: 'FILE',
    description: 'bearer tokens the apiserver may send, one per line',
  },
  {
    key: 'tlsCert',
    flag: 'tls-cert',
    type: 'string',
    arg: 'FILE',
    description: 'server certificate (PEM); with --tls-key, serve HTTPS',
  },
  { key: 'tlsKey', flag: 'tls-key', type: 'string', arg: 'FILE', description: 'server key (PEM)' },
  {
    key: 'clientCa',
    flag: 'client-ca',
    type: 'string',
    arg: 'FILE',
    description: 'CA (PEM) whose client certificates authenticate webhook clients (mutual TLS)',
  },
  {
    key: 'outputs',
    flag: 'output',
    type: 'list',
    arg: 'SPEC',
    description: 'where alerts go, repeatable: stdout, file:PATH, http:URL, program:COMMAND',
  },
  {
    key: 'rules',
    flag: 'rules',
    falcoKey: 'rules_files',
    short: 'r',
    type: 'list',
    arg: 'PATH',
    description: 'rules file or directory, repeatable (default: built-in rules)',
  },
  {
    key: 'ruleMatching',
    flag: 'rule-matching',
    falcoKey: 'rule_matching',
    type: 'string',
    choices: ['first', 'all'],
    arg: 'MODE',
    description: 'fire the first matching rule per event, or all (default first)',
  },
  {
    key: 'minPriority',
    flag: 'min-priority',
    falcoKey: 'priority',
    type: 'string',
    arg: 'PRIORITY',
    description: 'ignore rules less severe than this',
  },
  {
    key: 'insecure',
    flag: 'insecure',
    type: 'boolean',
    description: 'allow a non-loopback listener without a token or client CA',
  },
  {
    key: 'maxEventSize',
    flag: 'max-event-size',
    type: 'size',
    arg: 'BYTES',
    description: 'largest accepted event (default 256k, as Falco k8saudit)',
  },
  {
    key: 'maxBodySize',
    flag: 'max-body-size',
    type: 'size',
    arg: 'BYTES',
    description: 'largest accepted request body, after gunzip (default 64m)',
  },
  {
    key: 'spoolMaxSize',
    flag: 'spool-max-size',
    type: 'size',
    arg: 'BYTES',
    description: 'spool size at which new batches get 503 (default 1g)',
  },
  {
    key: 'spoolRetention',
    flag: 'spool-retention',
    type: 'duration',
    arg: 'DURATION',
    description: 'how long processed events stay in the spool (default 1h)',
  },
  {
    key: 'cluster',
    flag: 'cluster',
    type: 'string',
    arg: 'NAME',
    description: 'cluster name on every event (ka.cluster.name) and alert',
  },
  {
    key: 'store',
    flag: 'store',
    type: 'string',
    arg: 'DIR|URL|none',
    description:
      'alert store for the API and UI: a directory (SQLite), a postgres:// URL, or none (default: the data directory)',
  },
  {
    key: 'storeRetention',
    flag: 'store-retention',
    type: 'duration',
    arg: 'DURATION',
    description: 'alerts older than this are deleted from the store (default 30d)',
  },
  {
    key: 'storeMaxAlerts',
    flag: 'store-max-alerts',
    type: 'integer',
    arg: 'N',
    description: 'the store keeps at most this many alerts, the newest (default 10000000)',
  },
  {
    key: 'apiTokenFile',
    flag: 'api-token-file',
    type: 'string',
    arg: 'FILE',
    description:
      'API and UI tokens, one "TOKEN ROLE" per line (role admin or read); without tokens a random admin token is made and printed',
  },
  {
    key: 'apiTokens',
    flag: 'api-tokens',
    type: 'string',
    arg: 'LIST',
    description:
      'API and UI tokens as "TOKEN:ROLE,..." (prefer KAUDIT_API_TOKENS or the file: flags show in ps)',
  },
  {
    key: 'auth',
    flag: 'auth',
    type: 'boolean',
    description:
      'require a token for the API and UI (default on; --no-auth only on a loopback listener)',
  },
  {
    key: 'basePath',
    flag: 'base-path',
    type: 'string',
    arg: 'PATH',
    description: 'serve the UI and API under this path (an ingress sub-path, e.g. /kaudit)',
  },
  {
    key: 'logLevel',
    flag: 'log-level',
    type: 'string',
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace'],
    arg: 'LEVEL',
    description: 'log level of the JSON logs on stderr (default info)',
  },
  {
    key: 'correlationTolerance',
    flag: 'correlation-tolerance',
    type: 'duration',
    arg: 'DURATION',
    description:
      'how far out of event-time order an event may arrive and still be correlated in order (default 30s)',
  },
  {
    key: 'correlationMaxGroups',
    flag: 'correlation-max-groups',
    type: 'integer',
    arg: 'N',
    description:
      'groups each correlated or suppressed rule keeps; the least recently updated are evicted (default 20000)',
  },
  {
    key: 'jsonIncludeOutputProperty',
    flag: 'json-include-output-property',
    falcoKey: 'json_include_output_property',
    type: 'boolean',
    description: "JSON alerts carry Falco's `output` (the text line) (default on)",
  },
  {
    key: 'jsonIncludeTagsProperty',
    flag: 'json-include-tags-property',
    falcoKey: 'json_include_tags_property',
    type: 'boolean',
    description: "JSON alerts carry the rule's `tags` (default on)",
  },
  {
    key: 'jsonIncludeMessageProperty',
    flag: 'json-include-message-property',
    falcoKey: 'json_include_message_property',
    type: 'boolean',
    description: 'JSON alerts carry `message`, the output without time and priority (default off)',
  },
  {
    key: 'jsonIncludeOutputFieldsProperty',
    flag: 'json-include-output-fields-property',
    falcoKey: 'json_include_output_fields_property',
    type: 'boolean',
    description: 'JSON alerts carry `output_fields` (default on)',
  },
  {
    key: 'bus',
    flag: 'bus',
    type: 'string',
    arg: 'URL',
    description:
      'publish accepted batches to NATS JetStream (nats://HOST:PORT[,...]) for `kaudit detect` workers instead of detecting here (docs/distributed.md)',
  },
  {
    key: 'busReplicas',
    flag: 'bus-replicas',
    type: 'integer',
    arg: 'N',
    description:
      'replicas of the bus stream when kaudit creates it (default 3 with three or more servers, else 1)',
  },
  {
    key: 'busPartitions',
    flag: 'bus-partitions',
    type: 'integer',
    arg: 'N',
    description: 'correlation partitions of the bus stream when kaudit creates it (default 8)',
  },
  {
    key: 'watchRules',
    flag: 'watch-rules',
    type: 'boolean',
    description: 'reload rules when a rules file changes (default on; SIGHUP always reloads)',
  },
];

/** KAUDIT_ + the key in SCREAMING_SNAKE_CASE: dataDir → KAUDIT_DATA_DIR. */
export function envName(def: SettingDef): string {
  return `KAUDIT_${def.flag.replace(/-/g, '_').toUpperCase()}`;
}
