import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { OutputConfigError } from './output-errors.ts';

/** TLS settings of an http output; files are read once, when the output is created. */
export interface HttpTlsOptions {
  /** PEM file of the CA(s) that signed the receiver's certificate (default: Node's CAs). */
  readonly caFile?: string;
  /** Client certificate and key (PEM files) for mutual TLS. */
  readonly certFile?: string;
  readonly keyFile?: string;
  /** Accept any server certificate. Off by default; for tests and emergencies only. */
  readonly insecureSkipVerify?: boolean;
}

/** How one POST ended. */
export interface PostResult {
  /** The HTTP status, when a response came. */
  readonly status?: number;
  /** What went wrong, when no response came (or it was cut). */
  readonly error?: string;
  /** The receiver's Retry-After, in ms, when it sent one in seconds. */
  readonly retryAfterMs?: number;
}

/** Response bodies are read and thrown away (keep-alive needs that); past this, the socket goes. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new OutputConfigError(
      'OUTPUT_FILE_UNREADABLE',
      `cannot read the ${what} ${file}: ${(err as Error).message}`,
    );
  }
}

/**
 * The keep-alive agent for one receiver: at most `sockets` connections, reused across
 * alerts, with the TLS settings. Throws OutputConfigError for an unreadable PEM file or
 * TLS settings on a plain http URL.
 */
export function createPostAgent(url: URL, tls: HttpTlsOptions, sockets: number): http.Agent {
  const base = { keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets };
  if (url.protocol === 'http:') {
    if (tls.caFile !== undefined || tls.certFile !== undefined || tls.keyFile !== undefined) {
      throw new OutputConfigError(
        'OUTPUT_TLS_ON_HTTP',
        `TLS options need an https:// URL (got ${url.origin})`,
      );
    }
    return new http.Agent(base);
  }
  if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
    throw new OutputConfigError(
      'OUTPUT_TLS_INCOMPLETE',
      'a client certificate needs both cert and key',
    );
  }
  return new https.Agent({
    ...base,
    rejectUnauthorized: tls.insecureSkipVerify !== true,
    ...(tls.caFile !== undefined ? { ca: readPem(tls.caFile, 'CA file') } : {}),
    ...(tls.certFile !== undefined ? { cert: readPem(tls.certFile, 'client certificate') } : {}),
    ...(tls.keyFile !== undefined ? { key: readPem(tls.keyFile, 'client key') } : {}),
  });
}

function retryAfter(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,6}$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}

/**
 * POSTs one body and resolves with the status or the error; never rejects. The whole
 * exchange (connect, send, response, body) is cut after `timeoutMs`.
 */
export function postOnce(
  url: URL,
  agent: http.Agent,
  headers: Readonly<Record<string, string>>,
  body: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<PostResult> {
  return new Promise<PostResult>((resolve) => {
    let done = false;
    const finish = (r: PostResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const send = url.protocol === 'https:' ? https.request : http.request;
    const req = send(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      signal,
    });
    const timer = setTimeout(() => {
      finish({ error: `no answer within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (err) => finish({ error: err.message }));
    req.on('response', (res) => {
      let size = 0;
      res.on('data', (d: Buffer) => {
        size += d.length;
        if (size > MAX_RESPONSE_BYTES) res.destroy();
      });
      res.on('error', () => {});
      const status = res.statusCode ?? 0;
      const after = retryAfter(res.headers['retry-after']);
      const result = after === undefined ? { status } : { status, retryAfterMs: after };
      res.on('end', () => finish(result));
      res.on('close', () => finish(result));
    });
    req.end(body);
  });
}
