import { LEVELS, type Policy, type PolicyRule, STAGES } from './types.ts';

/** apimachinery's field.ErrorType names, as the apiserver reports them. */
export type FieldErrorType = 'FieldValueRequired' | 'FieldValueNotSupported' | 'FieldValueInvalid';

/** One validation error, worded as the apiserver words it. */
export interface FieldError {
  /** The apiserver's field path, e.g. `rules[0].resources.group` (no entry index there). */
  readonly field: string;
  readonly type: FieldErrorType;
  readonly value?: unknown;
  readonly detail: string;
  /** The exact path of the offending value, for positions (`rules[0].resources[2].group`). */
  readonly location: string;
}

const TYPE_TEXT: Readonly<Record<FieldErrorType, string>> = {
  FieldValueRequired: 'Required value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueInvalid: 'Invalid value',
};

// A lowercase RFC 1123 subdomain, as apimachinery's IsDNS1123Subdomain checks it.
const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`);
const DNS1123_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const STAGES_MESSAGE = `allowed stages are ${STAGES.join(',')}`;

/** Renders one error as the apiserver does: `path: Invalid value: "x": detail`. */
export function formatFieldError(e: FieldError): string {
  const value = e.type === 'FieldValueRequired' ? '' : `: ${JSON.stringify(e.value)}`;
  const detail = e.detail === '' ? '' : `: ${e.detail}`;
  return `${e.field}: ${TYPE_TEXT[e.type]}${value}${detail}`;
}

function validateStages(stages: readonly string[], path: string, out: FieldError[]): void {
  stages.forEach((s, i) => {
    if (!(STAGES as readonly string[]).includes(s)) {
      const at = `${path}[${i}]`;
      out.push({
        field: at,
        type: 'FieldValueInvalid',
        value: s,
        detail: STAGES_MESSAGE,
        location: at,
      });
    }
  });
}

function validateUrls(urls: readonly string[], path: string, out: FieldError[]): void {
  urls.forEach((url, i) => {
    if (url === '*') return;
    const at = `${path}[${i}]`;
    if (!url.startsWith('/')) {
      const detail = "non-resource URL rules must begin with a '/' character";
      out.push({ field: at, type: 'FieldValueInvalid', value: url, detail, location: at });
    } else if (url.slice(0, -1).includes('*')) {
      const detail = "non-resource URL wildcards '*' must be the final character of the rule";
      out.push({ field: at, type: 'FieldValueInvalid', value: url, detail, location: at });
    }
  });
}

function validateResources(rule: PolicyRule, path: string, out: FieldError[]): void {
  (rule.resources ?? []).forEach((gr, i) => {
    const group = gr.group ?? '';
    // "*" is the group wildcard (Kubernetes 1.36); "" is the core group.
    if (group !== '' && group !== '*' && (group.length > 253 || !DNS1123_SUBDOMAIN.test(group))) {
      out.push({
        field: `${path}.resources.group`,
        type: 'FieldValueInvalid',
        value: group,
        detail: DNS1123_MESSAGE,
        location: `${path}.resources[${i}].group`,
      });
    }
    if ((gr.resourceNames ?? []).length > 0 && (gr.resources ?? []).length === 0) {
      out.push({
        field: `${path}.resources.resourceNames`,
        type: 'FieldValueInvalid',
        value: gr.resourceNames,
        detail: 'using resourceNames requires at least one resource',
        location: `${path}.resources[${i}].resourceNames`,
      });
    }
  });
}

function validateRule(rule: PolicyRule, path: string, out: FieldError[]): void {
  const level = rule.level ?? '';
  if (level === '') {
    out.push({
      field: `${path}.level`,
      type: 'FieldValueRequired',
      detail: '',
      location: `${path}.level`,
    });
  } else if (!(LEVELS as readonly string[]).includes(level)) {
    out.push({
      field: `${path}.level`,
      type: 'FieldValueNotSupported',
      value: level,
      detail: `supported values: ${LEVELS.map((l) => `"${l}"`).join(', ')}`,
      location: `${path}.level`,
    });
  }
  validateUrls(rule.nonResourceURLs ?? [], `${path}.nonResourceURLs`, out);
  validateResources(rule, path, out);
  validateStages(rule.omitStages ?? [], `${path}.omitStages`, out);
  const urls = rule.nonResourceURLs ?? [];
  if (
    urls.length > 0 &&
    ((rule.resources ?? []).length > 0 || (rule.namespaces ?? []).length > 0)
  ) {
    out.push({
      field: `${path}.nonResourceURLs`,
      type: 'FieldValueInvalid',
      value: urls,
      detail: 'rules cannot apply to both regular resources and non-resource URLs',
      location: `${path}.nonResourceURLs`,
    });
  }
}

/**
 * Validates a decoded policy exactly as the apiserver does (field paths, error types and
 * order). An empty policy is valid here; the reader rejects zero rules.
 */
export function validatePolicy(policy: Policy): FieldError[] {
  const out: FieldError[] = [];
  validateStages(policy.omitStages ?? [], 'omitStages', out);
  policy.rules.forEach((rule, i) => {
    validateRule(rule, `rules[${i}]`, out);
  });
  return out;
}
