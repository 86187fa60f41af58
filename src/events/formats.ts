/**
 * The shapes in which audit events reach kaudit. Each record says which one it was read
 * from: the rebuilt events of some exports lack apiserver fields (docs/inputs-managed.md),
 * and a run's summary says which shapes it saw.
 */
export type InputFormat = 'jsonl' | 'eks' | 'gke' | 'aks' | 'ovh' | 'kube-audit-rest';

/** Every format, in the order summaries list them. */
export const INPUT_FORMATS: readonly InputFormat[] = [
  'jsonl',
  'eks',
  'gke',
  'aks',
  'ovh',
  'kube-audit-rest',
];

/** What each format is, for help texts and messages. */
export const INPUT_FORMAT_NAMES: Readonly<Record<InputFormat, string>> = {
  jsonl: 'audit.k8s.io events (apiserver log or webhook: Event, EventList, array)',
  eks: 'Amazon EKS via CloudWatch Logs (subscription records, filter-log-events and get-log-events output, single log events)',
  gke: 'Google GKE Cloud Audit Logs entries (LogEntry, gcloud logging read output)',
  aks: 'Azure AKS diagnostic records (records[].properties.log)',
  ovh: 'OVHcloud Logs Data Platform (GELF short_message)',
  'kube-audit-rest':
    'admission.k8s.io AdmissionReview lines (kube-audit-rest, kaudit serve /k8s-admission)',
};

/**
 * Formats whose records are rebuilt by kaudit from another log's entry rather than
 * written by the apiserver: they carry no apiserver auditID, yet are audit events.
 */
export const REBUILT_FORMATS: ReadonlySet<InputFormat> = new Set<InputFormat>(['gke']);

/** `--input-format`: one format, or `auto` (recognise each line's shape). */
export type InputFormatChoice = InputFormat | 'auto';

/** Parses an `--input-format` value; undefined when it names no format. */
export function parseInputFormat(text: string): InputFormatChoice | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'auto') return 'auto';
  return (INPUT_FORMATS as readonly string[]).includes(t) ? (t as InputFormat) : undefined;
}

/** Records seen per format. */
export type FormatCounts = Record<InputFormat, number>;

/** Zeroed counts for every format. */
export function createFormatCounts(): FormatCounts {
  const c = {} as FormatCounts;
  for (const f of INPUT_FORMATS) c[f] = 0;
  return c;
}
