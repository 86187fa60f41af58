// Writes examples/audit.log: one hour of a small cluster's audit log (kube-apiserver log
// backend, audit.k8s.io/v1 Events as JSON lines) with a few incidents in it.
//
//   npx tsx examples/generate-audit-log.ts > examples/audit.log
//
// Deterministic: the same seed always gives the same bytes.
import { generateAuditLog } from './audit-log.ts';

process.stdout.write(generateAuditLog());
