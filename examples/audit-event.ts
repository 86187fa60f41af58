// Builds audit.k8s.io/v1 Events the way kube-apiserver's log backend writes them (same key
// order), from a seeded random source so that the example log is reproducible.

/** A small seeded PRNG (mulberry32): the same seed always gives the same log. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Identity {
  readonly username: string;
  readonly groups: readonly string[];
  readonly userAgent: string;
  readonly ip: string;
  /** The authorizer's reason when this identity is allowed. */
  readonly allowReason?: string;
}

export interface Target {
  readonly resource: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
  /** '' for the core group. */
  readonly group?: string;
  readonly version?: string;
}

export interface RequestSpec {
  readonly at: number;
  readonly who: Identity;
  readonly verb: string;
  readonly target?: Target;
  /** Overrides the URI built from the target (non-resource URLs, query strings). */
  readonly uri?: string;
  readonly query?: string;
  readonly code?: number;
  readonly level?: 'Metadata' | 'Request' | 'RequestResponse';
  readonly requestObject?: unknown;
  readonly responseObject?: unknown;
  /** Also log the RequestReceived stage (the example policy omits it for controllers). */
  readonly received?: boolean;
  /** Long-running requests (exec, watch) log ResponseStarted before ResponseComplete. */
  readonly startedCode?: number;
  readonly durationMs?: number;
  readonly auditID?: string;
  readonly sourceIPs?: readonly string[];
  readonly reason?: string;
}

export interface TimedEvent {
  readonly time: number;
  readonly seq: number;
  readonly event: Record<string, unknown>;
}

const FAILURE_REASONS: Readonly<Record<number, string>> = {
  403: 'Forbidden',
  404: 'NotFound',
  409: 'AlreadyExists',
  422: 'Invalid',
};

function timestamp(ms: number, micros: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_m, frac: string) => {
    return `.${frac}${String(micros).padStart(3, '0')}Z`;
  });
}

function buildUri(t: Target, verb: string, query?: string): string {
  const group = t.group ?? '';
  const version = t.version ?? 'v1';
  let path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  if (t.namespace !== undefined && t.resource !== 'namespaces') {
    path += `/namespaces/${t.namespace}`;
  }
  path += `/${t.resource}`;
  const collection = (verb === 'create' && t.subresource === undefined) || verb === 'list';
  if (t.name !== undefined && !collection) path += `/${t.name}`;
  if (t.subresource !== undefined) path += `/${t.subresource}`;
  return query === undefined ? path : `${path}?${query}`;
}

/** Creates an event builder that numbers audit IDs and stage timestamps from `random`. */
export function createEventFactory(random: () => number) {
  let seq = 0;
  const hex = (n: number): string =>
    Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const uuid = (): string =>
    `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`;

  function authz(code: number, spec: RequestSpec): Record<string, string> {
    const decision = code === 403 ? 'forbid' : 'allow';
    const reason = decision === 'allow' ? (spec.reason ?? spec.who.allowReason ?? '') : '';
    return {
      'authorization.k8s.io/decision': decision,
      'authorization.k8s.io/reason': reason,
    };
  }

  /** Returns the events one request produces, in stage order. */
  function request(spec: RequestSpec): TimedEvent[] {
    const auditID = spec.auditID ?? uuid();
    const code = spec.code ?? (spec.verb === 'create' ? 201 : 200);
    const uri =
      spec.uri ?? (spec.target === undefined ? '/' : buildUri(spec.target, spec.verb, spec.query));
    const receivedUs = Math.floor(random() * 1000);
    const received = timestamp(spec.at, receivedUs);
    const duration = spec.durationMs ?? 2 + Math.floor(random() * 25);
    const head = (stage: string): Record<string, unknown> => {
      const e: Record<string, unknown> = {
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        level: spec.level ?? 'Metadata',
        auditID,
        stage,
        requestURI: uri,
        verb: spec.verb,
        user: { username: spec.who.username, groups: [...spec.who.groups] },
        sourceIPs: [...(spec.sourceIPs ?? [spec.who.ip])],
        userAgent: spec.who.userAgent,
      };
      if (spec.target !== undefined) {
        const t = spec.target;
        const ref: Record<string, string> = { resource: t.resource };
        if (t.namespace !== undefined) ref.namespace = t.namespace;
        if (t.name !== undefined) ref.name = t.name;
        if (t.group !== undefined && t.group !== '') ref.apiGroup = t.group;
        ref.apiVersion = t.version ?? 'v1';
        if (t.subresource !== undefined) ref.subresource = t.subresource;
        e.objectRef = ref;
      }
      return e;
    };
    const status = (c: number): Record<string, unknown> => {
      const reason = FAILURE_REASONS[c];
      if (reason === undefined) return { metadata: {}, code: c };
      const what = spec.target?.resource ?? 'request';
      const message =
        c === 403
          ? `${what} is forbidden: User "${spec.who.username}" cannot ${spec.verb} resource "${what}"`
          : `${what} ${reason}`;
      return { metadata: {}, status: 'Failure', message, reason, code: c };
    };
    const out: TimedEvent[] = [];
    const push = (time: number, event: Record<string, unknown>): void => {
      out.push({ time, seq: seq++, event });
    };
    if (spec.received === true) {
      const e = head('RequestReceived');
      if (spec.requestObject !== undefined && spec.level !== 'Metadata') {
        e.requestObject = spec.requestObject;
      }
      e.requestReceivedTimestamp = received;
      e.stageTimestamp = received;
      push(spec.at, e);
    }
    const finish = (stage: string, at: number, c: number): void => {
      const e = head(stage);
      e.responseStatus = status(c);
      if (spec.requestObject !== undefined && (spec.level ?? 'Metadata') !== 'Metadata') {
        e.requestObject = spec.requestObject;
      }
      if (spec.responseObject !== undefined && spec.level === 'RequestResponse' && c < 400) {
        e.responseObject = spec.responseObject;
      }
      e.requestReceivedTimestamp = received;
      e.stageTimestamp = timestamp(at, Math.floor(random() * 1000));
      e.annotations = authz(c, spec);
      push(at, e);
    };
    if (spec.startedCode !== undefined) finish('ResponseStarted', spec.at + 3, spec.startedCode);
    finish('ResponseComplete', spec.at + duration, code);
    return out;
  }

  return { request, uuid };
}

/** Serialises events in the order the log backend would have written them. */
export function renderLog(events: TimedEvent[]): string {
  const sorted = [...events].sort((a, b) => a.time - b.time || a.seq - b.seq);
  return `${sorted.map((e) => JSON.stringify(e.event)).join('\n')}\n`;
}

/** The builder returned by createEventFactory. */
export type EventFactory = ReturnType<typeof createEventFactory>;
