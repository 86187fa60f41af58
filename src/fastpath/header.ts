/** `user` as far as the header scan reads it. */
export interface HeaderUser {
  readonly username?: string;
}

/** `objectRef` as far as the header scan reads it. */
export interface HeaderObjectRef {
  readonly resource?: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly apiGroup?: string;
}

/** `responseStatus`: the code as JSON.parse gives it (a number, or a string if quoted). */
export interface HeaderStatus {
  readonly code?: number | string;
}

/** `annotations`: only the authorization decision. */
export interface HeaderAnnotations {
  readonly 'authorization.k8s.io/decision'?: string;
}

/**
 * The top-level facts of one audit Event line, shaped like the event itself: each member
 * is present exactly when JSON.parse of the line would have it (with the same value), so
 * the object can stand in for the parsed event when reading these fields.
 */
export interface Header {
  readonly kind: 'Event';
  readonly apiVersion: string;
  readonly auditID?: string;
  readonly stage?: string;
  readonly verb?: string;
  readonly requestURI?: string;
  readonly user?: HeaderUser;
  readonly objectRef?: HeaderObjectRef;
  readonly responseStatus?: HeaderStatus;
  readonly annotations?: HeaderAnnotations;
  /** The event time the decoder reads (AuditRecord.timeNs). */
  readonly stageTimestamp?: string;
}
