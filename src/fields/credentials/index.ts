export type { CredentialFinding, CredentialScan } from './finding.ts';
export { CREDENTIAL_KINDS } from './kinds.ts';
export {
  type CredentialScanCounters,
  readCredentialScanCounters,
  scanRequestObject,
} from './scan-request.ts';
export { DEFAULT_SCAN_LIMITS, type ScanLimits } from './scan-state.ts';
export { isScannedResource } from './scope.ts';
