import { decodeBase64Text, parseJsonContainer } from './decode.ts';
import { placeSegment } from './redact.ts';
import { addFinding, type ScanState, visitNode } from './scan-state.ts';
import { MAX_DECODE_DEPTH, scanString, type WalkDecoded } from './scan-string.ts';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
// Where a pod spec sits in the objects that hold one; their containers are named
// `containers[web]` whatever the path (pod, podtemplate, workload, cronjob).
const POD_SPEC_PATHS = [
  'spec',
  'template.spec',
  'spec.template.spec',
  'spec.jobTemplate.spec.template.spec',
];
const MAX_PLACE = 240;
const MAX_DEPTH = 48;

/**
 * Walks a submitted object (or a JSON patch: an array of operations) and scans its
 * strings: everything but `metadata` (of which only annotations, with
 * last-applied-configuration parsed and walked as `last-applied:`), `managedFields` and
 * the top-level `status`. Container lists, `args`, `command`, `binaryData` and named
 * values (`env` entries, `{name, value}` parameters) are read as what they are.
 */
export function walkRequestObject(st: ScanState, obj: unknown): void {
  if (Array.isArray(obj)) {
    for (const op of obj) {
      if (!isObject(op) || typeof op.path !== 'string' || op.value === undefined) continue;
      const key = op.path.slice(op.path.lastIndexOf('/') + 1);
      walkNode(st, op.value, `patch:${placeSegment(op.path)}`, key, 1, 0);
    }
    return;
  }
  walkNode(st, obj, '', undefined, 0, 0);
}

const walkDecoded: WalkDecoded = (st, value, place, depth) => {
  walkNode(st, value, place, undefined, 0, depth);
};

function walkNode(
  st: ScanState,
  v: unknown,
  place: string,
  key: string | undefined,
  level: number,
  depth: number,
): void {
  if (!visitNode(st) || level > MAX_DEPTH) return;
  if (typeof v === 'string') {
    scanString(st, place, v, key, depth, walkDecoded);
  } else if (Array.isArray(v)) {
    walkArray(st, v, place, key, level, depth);
  } else if (isObject(v)) {
    walkObject(st, v, place, level, depth);
  }
}

function walkObject(
  st: ScanState,
  o: Record<string, unknown>,
  place: string,
  level: number,
  depth: number,
): void {
  const serviceAccount = o.type === 'service_account' && typeof o.private_key === 'string';
  if (serviceAccount) {
    const n = (o.private_key as string).length;
    const at = place.endsWith(':') ? place.slice(0, -1) : place;
    addFinding(st, 'gcp-service-account-key', at === '' ? '.' : at, `… (${n} chars)`);
  }
  // `{name: db.password, value: …}` (Helm parameters, workflow inputs, a patched env var):
  // a value named by its sibling. In an array its place already ends with `[name]`.
  const named = typeof o.name === 'string' && typeof o.value === 'string';
  if (named) {
    const seg = `[${placeSegment(o.name as string)}]`;
    const at = place.endsWith(seg) ? place : `${place}${seg}`;
    scanString(st, at, o.value as string, o.name as string, depth, walkDecoded);
  }
  for (const k of Object.keys(o)) {
    if (st.stopped) return;
    if (named && (k === 'value' || k === 'name')) continue;
    if (serviceAccount && k === 'private_key') continue;
    walkMember(st, k, o[k], place, level, depth);
  }
}

// One member of an object, read as what its key says it is.
function walkMember(
  st: ScanState,
  k: string,
  v: unknown,
  place: string,
  level: number,
  depth: number,
): void {
  if (k === 'managedFields' || (k === 'status' && place === '')) return;
  if (k === 'metadata') {
    if (isObject(v) && isObject(v.annotations)) walkAnnotations(st, v.annotations, place, depth);
  } else if (k === 'binaryData' && isObject(v)) {
    walkBinaryData(st, v, join(place, k), depth);
  } else if ((k === 'args' || k === 'command') && Array.isArray(v)) {
    walkArgs(st, v, join(place, k), depth);
  } else if (CONTAINER_LISTS.has(k) && Array.isArray(v)) {
    walkArray(st, v, containerPlace(place, k), k, level + 1, depth);
  } else {
    walkNode(st, v, join(place, placeSegment(k)), k, level + 1, depth);
  }
}

function walkArray(
  st: ScanState,
  arr: readonly unknown[],
  place: string,
  key: string | undefined,
  level: number,
  depth: number,
): void {
  for (let i = 0; i < arr.length && !st.stopped; i++) {
    const el = arr[i];
    if (isObject(el) && typeof el.name === 'string') {
      walkNode(st, el, `${place}[${placeSegment(el.name)}]`, key, level + 1, depth);
    } else {
      walkNode(st, el, `${place}[${i}]`, key, level + 1, depth);
    }
  }
}

function walkAnnotations(
  st: ScanState,
  ann: Record<string, unknown>,
  place: string,
  depth: number,
): void {
  const base = place === '' || place.endsWith(':') ? place : `${place}.`;
  for (const k of Object.keys(ann)) {
    const v = ann[k];
    if (st.stopped || typeof v !== 'string' || !visitNode(st)) return;
    if (k === LAST_APPLIED && depth < MAX_DECODE_DEPTH) {
      const parsed = parseJsonContainer(v.trim());
      if (parsed !== undefined && v.length <= st.limits.chars - st.chars) {
        st.chars += v.length;
        walkNode(st, parsed, `${base}last-applied:`, undefined, 0, depth + 1);
        continue;
      }
    }
    scanString(st, `${base}annotations[${placeSegment(k)}]`, v, k, depth, walkDecoded);
  }
}

function walkBinaryData(
  st: ScanState,
  data: Record<string, unknown>,
  place: string,
  depth: number,
): void {
  for (const k of Object.keys(data)) {
    const v = data[k];
    if (st.stopped || typeof v !== 'string' || !visitNode(st)) return;
    const text = decodeBase64Text(v, 1);
    // Binary content (images, archives, keystores) is not text to scan.
    if (text !== undefined)
      scanString(st, `${place}.${placeSegment(k)}`, text, k, depth + 1, walkDecoded);
  }
}

// `["--password", "hunter2"]`: a flag without `=` names the argument after it.
function walkArgs(st: ScanState, args: readonly unknown[], place: string, depth: number): void {
  let flag: string | undefined;
  for (let i = 0; i < args.length && !st.stopped; i++) {
    const a = args[i];
    if (typeof a !== 'string' || !visitNode(st)) {
      flag = undefined;
      continue;
    }
    scanString(st, `${place}[${i}]`, a, flag, depth, walkDecoded);
    flag = a.startsWith('-') && !a.includes('=') && a.length <= 64 ? a : undefined;
  }
}

function containerPlace(place: string, list: string): string {
  for (const p of POD_SPEC_PATHS) {
    if (place === p) return list;
    if (place.endsWith(`:${p}`)) return `${place.slice(0, place.length - p.length)}${list}`;
  }
  return join(place, list);
}

function join(place: string, seg: string): string {
  const out = place === '' || place.endsWith(':') ? `${place}${seg}` : `${place}.${seg}`;
  return out.length > MAX_PLACE ? `${out.slice(0, MAX_PLACE - 1)}…` : out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
