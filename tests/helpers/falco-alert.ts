/** The keys of Falco's JSON alert, in the (alphabetical) order Falco writes them. */
export const FALCO_ALERT_KEYS: readonly string[] = [
  'hostname',
  'output',
  'output_fields',
  'priority',
  'rule',
  'source',
  'tags',
  'time',
];
