import { request } from 'node:https';

/** An answer from serve: status, content type and the body's exact text. */
export interface RawResponse {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

/** POSTs `body` over HTTPS to serve on loopback, trusting `ca`. */
export function postTls(
  port: number,
  path: string,
  body: string,
  ca: Buffer,
  contentType = 'application/json',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        ca,
        headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** What an admission request is about. */
export interface ReviewSpec {
  readonly uid: string;
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  readonly user: string;
  readonly resource: string;
  readonly kind: string;
  readonly group?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly subResource?: string;
  readonly object?: unknown;
  readonly oldObject?: unknown;
}

/**
 * An admission.k8s.io/v1 AdmissionReview as kube-apiserver sends it to a validating
 * webhook (no requestReceivedTimestamp: kube-audit-rest and kaudit add that).
 */
export function admissionReview(s: ReviewSpec): Record<string, unknown> {
  const gvk = { group: s.group ?? '', version: 'v1', kind: s.kind };
  const gvr = { group: s.group ?? '', version: 'v1', resource: s.resource };
  return {
    kind: 'AdmissionReview',
    apiVersion: 'admission.k8s.io/v1',
    request: {
      uid: s.uid,
      kind: gvk,
      resource: gvr,
      ...(s.subResource !== undefined ? { subResource: s.subResource } : {}),
      requestKind: gvk,
      requestResource: gvr,
      ...(s.name !== undefined ? { name: s.name } : {}),
      ...(s.namespace !== undefined ? { namespace: s.namespace } : {}),
      operation: s.operation,
      userInfo: { username: s.user, groups: ['system:authenticated'] },
      object: s.object ?? null,
      oldObject: s.oldObject ?? null,
      dryRun: false,
      options: null,
    },
  };
}

/** A pod spec with one container (privileged or not). */
export function podObject(name: string, ns: string, image: string, privileged: boolean) {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name, namespace: ns },
    spec: {
      containers: [{ name: 'main', image, securityContext: { privileged } }],
    },
  };
}
