import type { AuditRecord, EventSource } from '../../src/events/record.ts';
import {
  FieldArgError,
  type FieldArgSpec,
  type FieldDef,
  type FieldGetter,
  type FieldRegistry,
  type FieldValue,
} from '../../src/fields/field.ts';

/**
 * A small field table for the language tests, independent of src/fields (built
 * concurrently). Values follow the field contract: strings, string lists, absent.
 */

const NO_ARG: FieldArgSpec = { kind: 'none', required: false };

function render(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function at(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function ka(rec: AuditRecord, path: readonly string[]): string | undefined {
  return rec.obj.auditID === undefined ? undefined : render(at(rec.obj, path));
}

function scalar(name: string, path: readonly string[]): FieldDef {
  return def(name, ['k8s_audit'], false, NO_ARG, () => (r) => ka(r, path));
}

function def(
  name: string,
  sources: FieldDef['sources'],
  isList: boolean,
  arg: FieldArgSpec,
  bind: (arg: string | undefined) => FieldGetter,
  type: FieldDef['type'] = 'string',
): FieldDef {
  return { name, sources, type, isList, arg, description: name, needs: 'request', bind };
}

function list(v: unknown): FieldValue {
  if (!Array.isArray(v)) return undefined;
  const out = v.map(render).filter((s): s is string => s !== undefined);
  return out.length > 0 ? out : undefined;
}

function jsonPointer(obj: unknown, ptr: string): FieldValue {
  const parts = ptr.replace(/^\//, '').split('/');
  const path = parts.map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return render(at(obj, path));
}

const FIELDS: readonly FieldDef[] = [
  scalar('ka.user.name', ['user', 'username']),
  scalar('ka.verb', ['verb']),
  scalar('ka.uri', ['requestURI']),
  scalar('ka.target.name', ['objectRef', 'name']),
  scalar('ka.target.resource', ['objectRef', 'resource']),
  scalar('ka.target.namespace', ['objectRef', 'namespace']),
  scalar('ka.impuser.name', ['impersonatedUser', 'username']),
  scalar('ka.response.code', ['responseStatus', 'code']),
  scalar('ka.req.pod.host_network', ['requestObject', 'spec', 'hostNetwork']),
  def(
    'ka.user.groups',
    ['k8s_audit'],
    true,
    NO_ARG,
    () => (r) => (r.obj.auditID === undefined ? undefined : list(at(r.obj, ['user', 'groups']))),
  ),
  def('ka.uri.param', ['k8s_audit'], false, { kind: 'key', required: true }, (arg) => {
    if (arg === undefined) throw new FieldArgError('ka.uri.param', 'missing argument');
    return (r) => {
      const uri = ka(r, ['requestURI']);
      if (uri === undefined) return undefined;
      const q = uri.indexOf('?');
      return q < 0 ? undefined : (new URLSearchParams(uri.slice(q + 1)).get(arg) ?? undefined);
    };
  }),
  def(
    'ka.req.pod.containers.image',
    ['k8s_audit'],
    true,
    { kind: 'index', required: false },
    (arg) => {
      const idx = arg === undefined ? undefined : Number(arg);
      return (r) => {
        if (r.obj.auditID === undefined) return undefined;
        const cs = at(r.obj, ['requestObject', 'spec', 'containers']);
        if (!Array.isArray(cs)) return undefined;
        const images = list(cs.map((c) => at(c, ['image'])));
        if (idx === undefined || images === undefined) return images;
        return typeof images === 'string' ? images : images[idx];
      };
    },
  ),
  def('jevt.value', ['*'], false, { kind: 'key', required: true }, (arg) => {
    if (arg === undefined) throw new FieldArgError('jevt.value', 'missing argument');
    if (!arg.startsWith('/')) throw new FieldArgError('jevt.value', 'not a JSON pointer');
    return (r) => jsonPointer(r.obj, arg);
  }),
  def('evt.num', ['*'], false, NO_ARG, () => (r) => String(r.num), 'uint64'),
  def(
    'kar.verb',
    ['k8s_admission'],
    false,
    NO_ARG,
    () => (r) => render(at(r.obj, ['request', 'operation'])),
  ),
];

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      const sub = prev + (a[i - 1] === b[j - 1] ? 0 : 1);
      row[j] = Math.min(sub, (row[j - 1] as number) + 1, cur + 1);
      prev = cur;
    }
  }
  return row[b.length] as number;
}

/** The language tests' registry. */
export const TEST_REGISTRY: FieldRegistry = {
  get: (name) => FIELDS.find((f) => f.name === name),
  list: (source?: EventSource) =>
    FIELDS.filter(
      (f) => source === undefined || f.sources.includes('*') || f.sources.includes(source),
    ),
  suggest: (name) => {
    const best = FIELDS.map((f) => ({ n: f.name, d: distance(name, f.name) })).sort(
      (x, y) => x.d - y.d,
    )[0];
    return best !== undefined && best.d <= 2 ? best.n : undefined;
  },
};

export const TEST_ENV = { registry: TEST_REGISTRY, source: 'k8s_audit' } as const;

/** Wraps an event object as a record. */
export function testRecord(obj: Record<string, unknown>, num = 1): AuditRecord {
  return { obj, source: 'k8s_audit', timeNs: '0', num };
}
