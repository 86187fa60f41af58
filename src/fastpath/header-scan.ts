import type { Header } from './header.ts';

// A scanner for the top-level members of one JSON line. Every reader takes the index of
// the token and returns the index just past it, or -1 when the text is not what valid
// JSON has there (the caller then gives up). Results go through module state (`str`,
// `num`, `nested`, `after`): the scanner runs on one thread, and a result object per
// token would allocate on the hot path. Everything lives in this one module on purpose:
// under tsx, calls into another module's exports go through getters, which cost more
// than the scanning (measured: about 40% of the time).

const QUOTE = 34;
const COLON = 58;
const COMMA = 44;
const LBRACE = 123;
const RBRACE = 125;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

// kube-apiserver's usual layout of the first members, compact: when these match (sticky,
// from the start and then from where the first ended) they prove the structure of what
// they cover exactly, and the generic walk below takes over from there. A line in any
// other layout simply takes the generic walk from the start. Strings: unrolled
// `[^"\\]*(\\.[^"\\]*)*`; captures with a backslash are decoded by JSON.parse.
const HEAD_A =
  /\{"kind":"Event","apiVersion":"(audit\.k8s\.io\/v1(?:beta1)?)","level":"[A-Za-z]+","auditID":"([^"\\]*(?:\\.[^"\\]*)*)","stage":"([^"\\]*(?:\\.[^"\\]*)*)","requestURI":"([^"\\]*(?:\\.[^"\\]*)*)","verb":"([^"\\]*(?:\\.[^"\\]*)*)","user":\{"username":"([^"\\]*(?:\\.[^"\\]*)*)"(?:,"uid":"[^"\\]*(?:\\.[^"\\]*)*")?(?:,"groups":\[(?:"[^"\\]*(?:\\.[^"\\]*)*"(?:,"[^"\\]*(?:\\.[^"\\]*)*")*)?\])?(?:,"extra":\{(?:"[^"\\]*(?:\\.[^"\\]*)*":\[(?:"[^"\\]*(?:\\.[^"\\]*)*"(?:,"[^"\\]*(?:\\.[^"\\]*)*")*)?\](?:,"[^"\\]*(?:\\.[^"\\]*)*":\[(?:"[^"\\]*(?:\\.[^"\\]*)*"(?:,"[^"\\]*(?:\\.[^"\\]*)*")*)?\])*)?\})?\},/y;
/** The usual last members; `$`: nothing may follow. */
const TAIL =
  /"requestReceivedTimestamp":"[^"\\]*(?:\\.[^"\\]*)*","stageTimestamp":"([^"\\]*(?:\\.[^"\\]*)*)"(?:,"annotations":\{"authorization\.k8s\.io\/decision":"([^"\\]*(?:\\.[^"\\]*)*)"(?:,"authorization\.k8s\.io\/reason":"[^"\\]*(?:\\.[^"\\]*)*")?\})?\}$/y;
const HEAD_B =
  /"sourceIPs":\[(?:"[^"\\]*(?:\\.[^"\\]*)*"(?:,"[^"\\]*(?:\\.[^"\\]*)*")*)?\],"userAgent":"[^"\\]*(?:\\.[^"\\]*)*",(?:"objectRef":\{"resource":"([^"\\]*(?:\\.[^"\\]*)*)"(?:,"namespace":"([^"\\]*(?:\\.[^"\\]*)*)")?(?:,"name":"([^"\\]*(?:\\.[^"\\]*)*)")?(?:,"uid":"[^"\\]*(?:\\.[^"\\]*)*")?(?:,"apiGroup":"([^"\\]*(?:\\.[^"\\]*)*)")?(?:,"apiVersion":"[^"\\]*(?:\\.[^"\\]*)*")?(?:,"resourceVersion":"[^"\\]*(?:\\.[^"\\]*)*")?(?:,"subresource":"([^"\\]*(?:\\.[^"\\]*)*)")?\},)?(?:"responseStatus":\{"metadata":\{\},"code":(-?(?:0|[1-9]\d*))(?:,"status":"[^"\\]*(?:\\.[^"\\]*)*")?(?:,"message":"[^"\\]*(?:\\.[^"\\]*)*")?(?:,"reason":"[^"\\]*(?:\\.[^"\\]*)*")?\},)?/y;

const K_OTHER = 0;
const K_KIND = 1;
const K_API = 2;
const K_AUDIT = 3;
const K_STAGE = 4;
const K_VERB = 5;
const K_URI = 6;
const K_USER = 7;
const K_OBJREF = 8;
const K_STATUS = 9;
const K_ANN = 10;
const K_USERNAME = 11;
const K_RESOURCE = 12;
const K_SUBRES = 13;
const K_NS = 14;
const K_NAME = 15;
const K_GROUP = 16;
const K_CODE = 17;
const K_DECISION = 18;
const K_STAGETS = 19;

const KEY_IDS: ReadonlyMap<string, number> = new Map([
  ['kind', K_KIND],
  ['apiVersion', K_API],
  ['auditID', K_AUDIT],
  ['stage', K_STAGE],
  ['verb', K_VERB],
  ['requestURI', K_URI],
  ['user', K_USER],
  ['objectRef', K_OBJREF],
  ['responseStatus', K_STATUS],
  ['annotations', K_ANN],
  ['username', K_USERNAME],
  ['resource', K_RESOURCE],
  ['subresource', K_SUBRES],
  ['namespace', K_NS],
  ['name', K_NAME],
  ['apiGroup', K_GROUP],
  ['code', K_CODE],
  ['authorization.k8s.io/decision', K_DECISION],
  ['stageTimestamp', K_STAGETS],
]);

/** For each nested key id, the object (by key id) it is read in. */
const PARENT: readonly number[] = (() => {
  const p: number[] = new Array(20).fill(-1);
  p[K_USERNAME] = K_USER;
  for (const k of [K_RESOURCE, K_SUBRES, K_NS, K_NAME, K_GROUP]) p[k] = K_OBJREF;
  p[K_CODE] = K_STATUS;
  p[K_DECISION] = K_ANN;
  return p;
})();

let str = '';
let num = 0;
let after = 0;
let nested: Record<string, string | number> = {};
let hadEscape = false;
// The next backslash at or after the scan point of the current line: strings without
// escapes must not each search to the end of the line for one (that was quadratic).
let bsAt = -1;

function skipWs(s: string, i: number): number {
  // Bounded: reading past the end (every line's last check does) deoptimises the scan.
  for (const n = s.length; i < n; ) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else return i;
  }
  return i;
}

/** Index of the closing quote of the string opening at `i`, or -1; sets `hadEscape`. */
function findStringEnd(s: string, i: number): number {
  hadEscape = false;
  let k = i + 1;
  let q = s.indexOf('"', k);
  // indexOf (native, vectorised) does the scanning; we only step over escapes.
  for (;;) {
    if (q === -1) return -1;
    if (bsAt !== -1 && bsAt < k) bsAt = s.indexOf('\\', k);
    if (bsAt === -1 || bsAt > q) return q;
    hadEscape = true;
    k = bsAt + 2;
    if (q < k) q = s.indexOf('"', k);
  }
}

/** Reads a string value into `str`; escapes are decoded by JSON.parse's exact rules. */
function readStr(s: string, i: number): number {
  if (s.charCodeAt(i) !== QUOTE) return -1;
  const e = findStringEnd(s, i);
  if (e === -1) return -1;
  if (!hadEscape) {
    str = s.slice(i + 1, e);
    return e + 1;
  }
  try {
    str = JSON.parse(s.slice(i, e + 1)) as string;
  } catch {
    return -1;
  }
  return e + 1;
}

/** Reads a member name and returns its key id (K_OTHER if not ours); sets `after`. */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: a character-by-character key dispatcher on the hot path: one flat switch, measured faster than lookups (docs/performance.md)
function readKey(s: string, i: number): number {
  if (s.charCodeAt(i) !== QUOTE) return -1;
  const e = findStringEnd(s, i);
  if (e === -1) return -1;
  after = e + 1;
  if (hadEscape) {
    // An escaped name can spell one of ours (`"\u0076erb"`): compare it decoded.
    try {
      return KEY_IDS.get(JSON.parse(s.slice(i, e + 1)) as string) ?? K_OTHER;
    } catch {
      return -1;
    }
  }
  const a = i + 1;
  // Length, then first letter, then one startsWith: most names are rejected by length.
  const f = s.charCodeAt(a);
  switch (e - a) {
    case 4:
      if (f === 107) return s.startsWith('kind', a) ? K_KIND : K_OTHER;
      if (f === 118) return s.startsWith('verb', a) ? K_VERB : K_OTHER;
      if (f === 117) return s.startsWith('user', a) ? K_USER : K_OTHER;
      if (f === 99) return s.startsWith('code', a) ? K_CODE : K_OTHER;
      return f === 110 && s.startsWith('name', a) ? K_NAME : K_OTHER;
    case 5:
      return f === 115 && s.startsWith('stage', a) ? K_STAGE : K_OTHER;
    case 7:
      return f === 97 && s.startsWith('auditID', a) ? K_AUDIT : K_OTHER;
    case 8:
      if (f === 114) return s.startsWith('resource', a) ? K_RESOURCE : K_OTHER;
      if (f === 117) return s.startsWith('username', a) ? K_USERNAME : K_OTHER;
      return f === 97 && s.startsWith('apiGroup', a) ? K_GROUP : K_OTHER;
    case 9:
      if (f === 111) return s.startsWith('objectRef', a) ? K_OBJREF : K_OTHER;
      return f === 110 && s.startsWith('namespace', a) ? K_NS : K_OTHER;
    case 10:
      if (f === 97) return s.startsWith('apiVersion', a) ? K_API : K_OTHER;
      return f === 114 && s.startsWith('requestURI', a) ? K_URI : K_OTHER;
    case 11:
      if (f === 97) return s.startsWith('annotations', a) ? K_ANN : K_OTHER;
      return f === 115 && s.startsWith('subresource', a) ? K_SUBRES : K_OTHER;
    case 14:
      if (f === 114) return s.startsWith('responseStatus', a) ? K_STATUS : K_OTHER;
      return f === 115 && s.startsWith('stageTimestamp', a) ? K_STAGETS : K_OTHER;
    case 29:
      return f === 97 && s.startsWith('authorization.k8s.io/decision', a) ? K_DECISION : K_OTHER;
    default:
      return K_OTHER;
  }
}

/**
 * Skips an object or array by bracket depth outside strings, without checking its
 * grammar: a malformed body only matters if JSON.parse would reject the line, and such
 * a line yields no alerts on either path.
 */
function skipContainer(s: string, i: number): number {
  let depth = 0;
  const n = s.length;
  for (let k = i; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c === QUOTE) {
      k = findStringEnd(s, k);
      if (k === -1) return -1;
    } else if (c === LBRACE || c === 91) {
      depth++;
    } else if (c === RBRACE || c === 93) {
      if (--depth === 0) return k + 1;
    }
  }
  return -1;
}

function skipValue(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) {
    const e = findStringEnd(s, i);
    return e === -1 ? -1 : e + 1;
  }
  if (c === LBRACE || c === 91) return skipContainer(s, i);
  if (s.startsWith('true', i) || s.startsWith('null', i)) return i + 4;
  if (s.startsWith('false', i)) return i + 5;
  return readNum(s, i);
}

function readNum(s: string, i: number): number {
  NUMBER.lastIndex = i;
  const m = NUMBER.exec(s);
  if (m === null) return -1;
  num = Number(m[0]);
  return i + m[0].length;
}

/**
 * Reads the object at `i` (user, objectRef, responseStatus or annotations: `ctx` is its
 * key id) into `nested`, keeping our members (the last duplicate wins, as in JSON.parse)
 * and skipping the others. One of ours with a value of another type gives up.
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the hot path of the header scan, one flat loop per nested object; calls per member were measured slower
function readNested(s: string, i: number, ctx: number): number {
  if (s.charCodeAt(i) !== LBRACE) return -1;
  const o: Record<string, string | number> = {};
  i = skipWs(s, i + 1);
  if (s.charCodeAt(i) !== RBRACE) {
    for (;;) {
      const id = readKey(s, i);
      if (id < 0) return -1;
      i = skipWs(s, after);
      if (s.charCodeAt(i) !== COLON) return -1;
      i = skipWs(s, i + 1);
      if (PARENT[id] !== ctx) {
        i = skipValue(s, i);
      } else if (id === K_CODE && s.charCodeAt(i) !== QUOTE) {
        i = readNum(s, i);
        o.code = num;
      } else {
        i = readStr(s, i);
        if (id === K_USERNAME) o.username = str;
        else if (id === K_RESOURCE) o.resource = str;
        else if (id === K_SUBRES) o.subresource = str;
        else if (id === K_NS) o.namespace = str;
        else if (id === K_NAME) o.name = str;
        else if (id === K_GROUP) o.apiGroup = str;
        else if (id === K_CODE) o.code = str;
        else o['authorization.k8s.io/decision'] = str;
      }
      if (i < 0) return -1;
      i = skipWs(s, i);
      const c = s.charCodeAt(i);
      if (c === RBRACE) break;
      if (c !== COMMA) return -1;
      i = skipWs(s, i + 1);
    }
  }
  nested = o;
  return i + 1;
}

const TAIL_START = '"requestReceivedTimestamp":"';
// Our top-level members (stageTimestamp aside: the tail always has the last one).
const OURS = 'kind|apiVersion|auditID|stage|verb|requestURI|user|objectRef|responseStatus';
/** A member whose value is a string without escapes, or a number, true, false or null. */
const SIMPLE_MEMBER = String.raw`"[^"\\]*":(?:"[^"\\]*"|-?[0-9][0-9.eE+-]*|true|false|null),`;
// Past this many simple members before it, a nested name of ours counts as unsafe (the
// walk decides). Unbounded, every occurrence rescanned its object backwards: an object
// of 8,000 duplicate "kind" keys (a 72 KB line) took 1.2 s, quadratic in the line.
const MAX_SIMPLE_BEFORE = 64;
/**
 * A name of ours that is not provably inside a nested object: not the first member of an
 * object, nor preceded in its object only by simple members (at most MAX_SIMPLE_BEFORE).
 * See skipBodies.
 */
const unsafeName = (names: string): RegExp =>
  new RegExp(`"(?:${names})"(?<!\\{(?:${SIMPLE_MEMBER}){0,${MAX_SIMPLE_BEFORE}}"(?:${names})")`);
const UNSAFE_NAME = unsafeName(`${OURS}|annotations`);
/** When the tail has the annotations, an earlier one is overridden: it is not ours. */
const UNSAFE_NAME_BUT_ANNOTATIONS = unsafeName(OURS);

/**
 * The usual layout's bodies (`requestObject`, `responseObject`) lie between the members
 * the head regexes read (ending at `i`, a member boundary) and the usual last members.
 * Walking them costs more than anything else in the scan (about 40% of it on a busy
 * cluster's log), so they are skipped when that is provably safe, and the tail's match
 * is returned (null: take the walk):
 *
 * - the tail is found from the end (`lastIndexOf`) and must match up to the line's end,
 *   after a comma: so it holds the last top-level members, whose values win;
 * - no name of ours may appear in between at the top level. A name counts as nested when
 *   it is the first member of an object (`{"kind"`) or follows only simple members there
 *   (`{"manager":"x","apiVersion"`), the object's `{` lying in the bodies (so it is not
 *   the line's own). Were that `{` inside a string, the quote after it would close the
 *   string, every quote after would be paired one off, and the name's opening quote
 *   would really close a string, followed by a letter: not JSON. Any other occurrence
 *   (a top-level duplicate, or just an unusual body) takes the walk;
 * - names spelled with escapes (`"\u0076erb"`) cannot be matched this way, so bodies
 *   with a `\u` escape take the walk.
 *
 * Text that is not JSON may be misread; it yields no alert on the full path either.
 */
function skipBodies(s: string, i: number): RegExpExecArray | null {
  // No bodies (most lines): the tail follows the head (after its comma) up to the end of
  // the line, so it holds the last members and there is nothing to skip. Tried first, it
  // spares those lines the search from the end (lastIndexOf compares backwards, character
  // by character).
  TAIL.lastIndex = i;
  const t0 = TAIL.exec(s);
  if (t0 !== null) return t0;
  const k = s.lastIndexOf(TAIL_START);
  if (k <= i || s.charCodeAt(k - 1) !== COMMA) return null;
  TAIL.lastIndex = k;
  const t = TAIL.exec(s);
  if (t === null) return null;
  const u = s.indexOf('\\u', i);
  if (u !== -1 && u < k) return null;
  const unsafe = t[2] === undefined ? UNSAFE_NAME : UNSAFE_NAME_BUT_ANNOTATIONS;
  return unsafe.test(s.slice(i, k)) ? null : t;
}

/**
 * Whether a line in the usual layout has its bodies skipped rather than walked.
 * @internal For tests: the skip never changes an answer, so only this can show it runs.
 */
export function canSkipBodies(line: string): boolean {
  bsAt = line.indexOf('\\');
  HEAD_A.lastIndex = 0;
  if (HEAD_A.exec(line) === null) return false;
  HEAD_B.lastIndex = HEAD_A.lastIndex;
  if (HEAD_B.exec(line) === null) return false;
  return skipBodies(line, HEAD_B.lastIndex) !== null;
}

/**
 * Reads the header fields of an audit.k8s.io Event from one raw line without parsing
 * its bodies: the top-level members are walked, ours decoded exactly (escapes, duplicate
 * keys: the last wins), the others skipped by bracket depth. Returns undefined whenever
 * the answer could differ from JSON.parse: not a single audit Event object, one of our
 * members of an unexpected type, or text that is not JSON. Never throws.
 *
 * @example scanHeader('{"kind":"Event","apiVersion":"audit.k8s.io/v1","verb":"get"}')
 *   // → { kind: 'Event', apiVersion: 'audit.k8s.io/v1', verb: 'get' }
 */
export function scanHeader(line: string): Header | undefined {
  try {
    return scanLine(line);
  } catch {
    return undefined;
  }
}

function decode(c: string | undefined): string | undefined {
  if (c === undefined || c.indexOf('\\') === -1) return c;
  return JSON.parse(`"${c}"`) as string;
}

function headRef(m: RegExpExecArray, escaped: boolean): Record<string, string> {
  // Branches rather than a function variable: one call target keeps scanLine optimised.
  const o: Record<string, string> = { resource: (escaped ? decode(m[1]) : m[1]) as string };
  if (m[2] !== undefined) o.namespace = (escaped ? decode(m[2]) : m[2]) as string;
  if (m[3] !== undefined) o.name = (escaped ? decode(m[3]) : m[3]) as string;
  if (m[4] !== undefined) o.apiGroup = (escaped ? decode(m[4]) : m[4]) as string;
  if (m[5] !== undefined) o.subresource = (escaped ? decode(m[5]) : m[5]) as string;
  return o;
}

// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the header scan of every line, written as one function so that V8 optimises it as a whole (docs/performance.md)
function scanLine(s: string): Header | undefined {
  bsAt = s.indexOf('\\');
  let kind: string | undefined;
  let api: string | undefined;
  let auditID: string | undefined;
  let stage: string | undefined;
  let verb: string | undefined;
  let uri: string | undefined;
  let user: object | undefined;
  let ref: object | undefined;
  let status: object | undefined;
  let ann: object | undefined;
  let stageTs: string | undefined;
  let i: number;
  HEAD_A.lastIndex = 0;
  const a = HEAD_A.exec(s);
  if (a !== null) {
    kind = 'Event';
    api = a[1];
    i = HEAD_A.lastIndex;
    // Captures hold escapes only if the line's first backslash lies within the match.
    if (bsAt === -1 || bsAt >= i) {
      auditID = a[2];
      stage = a[3];
      uri = a[4];
      verb = a[5];
      user = { username: a[6] };
    } else {
      auditID = decode(a[2]);
      stage = decode(a[3]);
      uri = decode(a[4]);
      verb = decode(a[5]);
      user = { username: decode(a[6]) };
    }
    HEAD_B.lastIndex = i;
    const b = HEAD_B.exec(s);
    if (b !== null) {
      if (b[1] !== undefined) ref = headRef(b, bsAt !== -1 && bsAt < HEAD_B.lastIndex);
      if (b[6] !== undefined) status = { code: Number(b[6]) };
      i = HEAD_B.lastIndex;
      const t = skipBodies(s, i);
      if (t !== null) {
        stageTs = decode(t[1]);
        if (t[2] !== undefined) ann = { 'authorization.k8s.io/decision': decode(t[2]) };
        return header(kind, api, auditID, stage, uri, verb, user, ref, status, ann, stageTs);
      }
    }
  } else {
    i = skipWs(s, 0);
    if (s.charCodeAt(i) !== LBRACE) return undefined;
    i = skipWs(s, i + 1);
  }
  for (;;) {
    if (s.charCodeAt(i + 1) === 114 && s.startsWith('"requestReceivedTimestamp"', i)) {
      TAIL.lastIndex = i;
      const t = TAIL.exec(s);
      if (t !== null) {
        stageTs = decode(t[1]);
        if (t[2] !== undefined) ann = { 'authorization.k8s.io/decision': decode(t[2]) };
        i = s.length - 1;
        break;
      }
    }
    const id = readKey(s, i);
    if (id < 0) return undefined;
    i = skipWs(s, after);
    if (s.charCodeAt(i) !== COLON) return undefined;
    i = skipWs(s, i + 1);
    if (id === K_STAGETS) {
      i = readStr(s, i);
      stageTs = str;
    } else if (id === K_OTHER || id > K_ANN) {
      i = skipValue(s, i);
    } else if (id >= K_USER) {
      i = readNested(s, i, id);
      if (id === K_USER) user = nested;
      else if (id === K_OBJREF) ref = nested;
      else if (id === K_STATUS) status = nested;
      else ann = nested;
    } else {
      // A non-string here renders differently from a string: the full parse decides.
      i = readStr(s, i);
      if (id === K_KIND) kind = str;
      else if (id === K_API) api = str;
      else if (id === K_AUDIT) auditID = str;
      else if (id === K_STAGE) stage = str;
      else if (id === K_VERB) verb = str;
      else uri = str;
    }
    if (i < 0) return undefined;
    i = skipWs(s, i);
    const c = s.charCodeAt(i);
    if (c === RBRACE) break;
    if (c !== COMMA) return undefined;
    i = skipWs(s, i + 1);
  }
  if (skipWs(s, i + 1) !== s.length) return undefined;
  return header(kind, api, auditID, stage, uri, verb, user, ref, status, ann, stageTs);
}

function header(
  kind: string | undefined,
  api: string | undefined,
  auditID: string | undefined,
  stage: string | undefined,
  uri: string | undefined,
  verb: string | undefined,
  user: object | undefined,
  ref: object | undefined,
  status: object | undefined,
  ann: object | undefined,
  stageTs: string | undefined,
): Header | undefined {
  // Only single audit Events: EventLists, AdmissionReviews and envelopes take the full path.
  if (kind !== 'Event' || api === undefined || !api.startsWith('audit.k8s.io/')) {
    return undefined;
  }
  const h: Record<string, unknown> = { kind, apiVersion: api };
  if (auditID !== undefined) h.auditID = auditID;
  if (stage !== undefined) h.stage = stage;
  if (uri !== undefined) h.requestURI = uri;
  if (verb !== undefined) h.verb = verb;
  if (user !== undefined) h.user = user;
  if (ref !== undefined) h.objectRef = ref;
  if (status !== undefined) h.responseStatus = status;
  if (ann !== undefined) h.annotations = ann;
  if (stageTs !== undefined) h.stageTimestamp = stageTs;
  return h as unknown as Header;
}

/**
 * Lines that take every rare path of the scan: escapes in the head and in objectRef, a
 * `\u` escape or a top-level duplicate among the bodies, another key order with
 * whitespace, an escaped key, a missing userAgent, values of every JSON type, text that
 * is not an event. Ours, made up; see warmUpHeaderScan.
 * @internal Exported for tests.
 */
export const WARM_UP_LINES: readonly string[] = [
  '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"a\\"1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/d/pods/p\\u0031/exec","verb":"create","user":{"username":"u\\u0041","uid":"1","groups":["g"],"extra":{"k":["v"]}},"sourceIPs":["10.0.0.1"],"userAgent":"x","objectRef":{"resource":"pods","namespace":"d\\u0041","name":"p","apiGroup":"","apiVersion":"v1","subresource":"exec"},"responseStatus":{"metadata":{},"code":201},"requestObject":{"kind":"Pod","spec":{"a":[1,2.5,true,false,null]}},"responseObject":{"kind":"Pod","metadata":{"name":"p","apiVersion":"v1"}},"requestReceivedTimestamp":"2026-01-01T00:00:00.000000Z","stageTimestamp":"2026-01-01T00:00:00.000001Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":""}}',
  '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"b","stage":"ResponseComplete","requestURI":"/api/v1/configmaps","verb":"update","user":{"username":"v"},"sourceIPs":["::1"],"userAgent":"y","objectRef":{"resource":"configmaps","namespace":"n","name":"c"},"responseStatus":{"metadata":{},"code":200},"requestObject":{"data":{"k":"\\u00e9"}},"verb":"patch","requestReceivedTimestamp":"2026-01-01T00:00:00Z","stageTimestamp":"2026-01-01T00:00:01Z"}',
  '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"c","stage":"ResponseComplete","requestURI":"/","verb":"get","user":{"username":"w"},"sourceIPs":[],"objectRef":{"resource":"pods"},"requestReceivedTimestamp":"2026-01-01T00:00:00Z","stageTimestamp":"2026-01-01T00:00:00Z"}',
  ' { "verb" : "delete", "kind":"Event", "apiVersion":"audit.k8s.io/v1", "auditID":"d", "stage":"ResponseComplete", "requestURI":"/x", "user":{"uid":"1", "username":"x"}, "objectRef":{"apiGroup":"g", "resource":"secrets", "subresource":"s", "namespace":"n", "name":"m"}, "responseStatus":{"code":"403"}, "other":[{"a":"\\"}"}, [2]], "n": -1.5e3, "t": true, "f": false, "z": null, "annotations":{"authorization.k8s.io/decision":"forbid"}, "stageTimestamp":"2026-01-01T00:00:00Z", "requestReceivedTimestamp":"2026-01-01T00:00:00Z" } ',
  '{"apiVersion":"audit.k8s.io/v1","kind":"Event","\\u0076erb":"list","responseStatus":{"code":404},"stageTimestamp":"2026-01-01T00:00:00Z","requestReceivedTimestamp":"2026-01-01T00:00:00Z","annotations":{}}',
  '{"kind":"Event","apiVersion":"audit.k8s.io/v1","verb":7}',
  '{"kind":"Event",',
  '{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[]}',
  '[]',
];

let warmedUp = false;

/**
 * Runs the scan over WARM_UP_LINES, once per thread, before the first real line. The
 * JIT optimizes the scan for the paths it has seen taken; a path first taken later (say
 * the first line with an escape in its head) throws that code away and the scan is
 * compiled again, once per rare path and per thread (three times per thread on a 930 MiB
 * log before, once now). Lines seen here have left their type feedback.
 */
export function warmUpHeaderScan(): void {
  if (warmedUp) return;
  warmedUp = true;
  for (let round = 0; round < 20; round++) for (const line of WARM_UP_LINES) scanHeader(line);
}
