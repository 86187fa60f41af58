/**
 * The member order of kube-apiserver's audit.k8s.io/v1 Event (its Go struct order), as
 * the log backend writes it; optional members may be missing.
 */
export const AUDIT_EVENT_KEY_ORDER: readonly string[] = [
  'kind',
  'apiVersion',
  'level',
  'auditID',
  'stage',
  'requestURI',
  'verb',
  'user',
  'impersonatedUser',
  'sourceIPs',
  'userAgent',
  'objectRef',
  'responseStatus',
  'requestObject',
  'responseObject',
  'requestReceivedTimestamp',
  'stageTimestamp',
  'annotations',
];
