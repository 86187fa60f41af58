// A receiver that reads alerts as falcosidekick does at `/` (mainHandler → newFalcoPayload
// → FalcoPayload.Check in falcosidekick's handlers.go and types/types.go): Go's
// encoding/json into
//   Output string `json:"output"`; Priority PriorityType `json:"priority"`;
//   Rule string `json:"rule"`; Time time.Time `json:"time"`;
//   OutputFields map[string]interface{} `json:"output_fields"`; Source string `json:"source"`;
//   Tags []string `json:"tags,omitempty"`; Hostname string `json:"hostname,omitempty"`
// and then Check(): a known priority, a rule, a non-zero time, at least one output field.
// falcosidekick itself is a Go binary that neither Debian nor npm ships, so the tests
// check against this mirror of its types instead.
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/** A payload as falcosidekick holds it after decoding. */
export interface FalcoPayload {
  readonly output: string;
  readonly priority: string;
  readonly rule: string;
  /** Parsed from RFC 3339, as Go's time.Time does. */
  readonly time: Date;
  readonly timeText: string;
  readonly outputFields: Record<string, unknown>;
  readonly source: string;
  readonly tags: readonly string[];
  readonly hostname: string;
}

const PRIORITIES = [
  'emergency',
  'alert',
  'critical',
  'error',
  'warning',
  'notice',
  'informational',
  'debug',
];
// Go's time.Parse(time.RFC3339, s) as UnmarshalJSON runs it: fractional seconds allowed.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Go matches JSON keys to struct fields exactly first, then case-insensitively. */
function field(obj: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(obj, name)) return obj[name];
  const k = Object.keys(obj).find((key) => key.toLowerCase() === name);
  return k === undefined ? undefined : obj[k];
}

function goString(v: unknown, name: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string')
    throw new Error(`json: cannot unmarshal into Go field ${name} of type string`);
  return v;
}

/**
 * Decodes a body as falcosidekick does and applies its Check(); throws with the reason
 * falcosidekick would answer 400 for.
 */
export function decodeFalcoPayload(body: string): FalcoPayload {
  const obj = JSON.parse(body) as unknown;
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new Error('json: cannot unmarshal into Go value of type types.FalcoPayload');
  }
  const o = obj as Record<string, unknown>;
  const priority = goString(field(o, 'priority'), 'priority');
  const timeText = field(o, 'time');
  if (
    typeof timeText !== 'string' ||
    !RFC3339.test(timeText) ||
    Number.isNaN(Date.parse(timeText))
  ) {
    throw new Error(`time: not RFC 3339: ${JSON.stringify(timeText)}`);
  }
  const fields = field(o, 'output_fields');
  if (
    fields !== null &&
    fields !== undefined &&
    (typeof fields !== 'object' || Array.isArray(fields))
  ) {
    throw new Error('json: output_fields is not a map');
  }
  const tags = field(o, 'tags');
  if (tags !== undefined && tags !== null) {
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) {
      throw new Error('json: tags is not a []string');
    }
  }
  const p: FalcoPayload = {
    output: goString(field(o, 'output'), 'output'),
    priority,
    rule: goString(field(o, 'rule'), 'rule'),
    time: new Date(timeText),
    timeText,
    outputFields: (fields ?? {}) as Record<string, unknown>,
    source: goString(field(o, 'source'), 'source'),
    tags: (tags ?? []) as string[],
    hostname: goString(field(o, 'hostname'), 'hostname'),
  };
  // FalcoPayload.Check()
  if (!PRIORITIES.includes(p.priority.toLowerCase()))
    throw new Error(`Check: priority ${p.priority}`);
  if (p.rule === '') throw new Error('Check: empty rule');
  if (p.time.getTime() <= Date.UTC(1, 0, 1)) throw new Error('Check: zero time');
  if (Object.keys(p.outputFields).length === 0) throw new Error('Check: no output_fields');
  return p;
}

/** One request as the receiver saw it. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** The decoded payload, or why falcosidekick would have refused it. */
  readonly payload?: FalcoPayload;
  readonly error?: string;
  /** The client certificate's subject CN, on HTTPS with client certificates. */
  readonly clientCn?: string;
}

/** What to answer to request number `n` (from 0): a status after a delay, or nothing. */
export type Behaviour = (n: number) => { status: number; delayMs?: number } | 'hang';

export interface Receiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Connections the server accepted. */
  connections: number;
  close(): Promise<void>;
}

/** Starts a receiver on loopback: plain HTTP, or HTTPS with `tls` (key, cert, ca, requestCert). */
export async function startReceiver(
  behaviour: Behaviour = () => ({ status: 200 }),
  tls?: https.ServerOptions,
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  let n = 0;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let payload: FalcoPayload | undefined;
      let error: string | undefined;
      try {
        payload = decodeFalcoPayload(body);
      } catch (err) {
        error = (err as Error).message;
      }
      const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate?.();
      const clientCn = peer?.subject?.CN;
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        ...(payload !== undefined ? { payload } : {}),
        ...(error !== undefined ? { error } : {}),
        ...(typeof clientCn === 'string' ? { clientCn } : {}),
      });
      const plan = behaviour(n++);
      if (plan === 'hang') return;
      // falcosidekick answers 400 to a bad method or payload, whatever the plan says.
      const status = req.method !== 'POST' || error !== undefined ? 400 : plan.status;
      setTimeout(() => res.writeHead(status).end(), plan.delayMs ?? 0);
    });
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  const sockets = new Set<import('node:net').Socket>();
  const r: Receiver = {
    url: '',
    requests,
    connections: 0,
    async close() {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
  server.on(tls ? 'secureConnection' : 'connection', (s: import('node:net').Socket) => {
    r.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  (r as { url: string }).url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}/`;
  return r;
}

/** Polls until `check` holds, or fails after `ms`. */
export async function waitFor(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
