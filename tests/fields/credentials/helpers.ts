import type { CredentialScan } from '../../../src/fields/credentials/index.ts';
import { scanRequestObject } from '../../../src/fields/credentials/index.ts';

/** The scan of a configmap holding `value` under `key`. */
export function scanValue(value: string, key = 'CONFIG'): CredentialScan {
  return scanRequestObject({ kind: 'ConfigMap', apiVersion: 'v1', data: { [key]: value } });
}

/** The kinds found in a configmap holding `value` under `key`. */
export function kindsOf(value: string, key = 'CONFIG'): readonly string[] {
  return scanValue(value, key).kinds;
}
