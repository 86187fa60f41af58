import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

/** TLS settings of a test request: the CA to trust and, for mutual TLS, a client pair. */
export interface ClientTls {
  readonly ca: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

export interface RequestOptions {
  readonly port: number;
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent with its Content-Length, or chunked (no Content-Length) when `chunked`. */
  readonly body?: string | Buffer;
  readonly chunked?: boolean;
  /** HTTPS with these settings; plain HTTP without. */
  readonly tls?: ClientTls;
  readonly timeoutMs?: number;
}

export interface HttpResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON (throws when it is not). */
  json<T = Record<string, unknown>>(): T;
}

/**
 * One request on its own connection (no agent, no keep-alive), over HTTP or HTTPS to
 * 127.0.0.1: what a test needs to see exactly one exchange. Rejects on a network error
 * (refused, reset, TLS failure) or after `timeoutMs`.
 */
export function request(o: RequestOptions): Promise<HttpResult> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.body !== undefined && !o.chunked) {
    headers['content-length'] = String(Buffer.byteLength(o.body));
  }
  const common = {
    host: '127.0.0.1',
    port: o.port,
    method: o.method ?? 'GET',
    path: o.path ?? '/',
    headers,
    agent: false as const,
  };
  return new Promise((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage): void => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          json: <T>() => JSON.parse(text) as T,
        });
      });
    };
    const req =
      o.tls === undefined
        ? http.request(common, onResponse)
        : https.request(
            {
              ...common,
              ca: o.tls.ca,
              servername: 'localhost',
              ...(o.tls.cert !== undefined ? { cert: o.tls.cert, key: o.tls.key } : {}),
            },
            onResponse,
          );
    req.setTimeout(o.timeoutMs ?? 20_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    if (o.body !== undefined) req.write(o.body);
    req.end();
  });
}

/** POSTs a webhook body to `/k8s-audit` as kube-apiserver does (application/json). */
export function postAudit(
  port: number,
  body: string | Buffer,
  more: Omit<RequestOptions, 'port' | 'body' | 'method' | 'path'> = {},
): Promise<HttpResult> {
  return request({
    ...more,
    port,
    method: 'POST',
    path: '/k8s-audit',
    body,
    headers: { 'content-type': 'application/json', ...more.headers },
  });
}

/**
 * POSTs a webhook body over `agent`'s keep-alive connections, as the apiserver's batch
 * sender does, and resolves with the status. For tests that send many batches from
 * several connections (the one-exchange `request` opens a connection per call).
 */
export function postBatchOn(agent: http.Agent, port: number, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/k8s-audit',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
