import type { FieldValue } from './field.ts';
import { compilePath, type PathReader } from './path.ts';
import { renderValue, toListValue } from './render.ts';

/** The pod spec lists whose items are containers. */
export const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** Reads one property from the selected containers of a pod spec. */
export type ContainerRead = (items: readonly unknown[], spec: unknown) => FieldValue;

/** The containers `[i]` selects (all without an index); absent when not an array or out of range. */
export function pickItems(arr: unknown, index: number): readonly unknown[] | undefined {
  if (!Array.isArray(arr)) return undefined;
  if (index < 0) return arr;
  return index < arr.length ? [arr[index]] : undefined;
}

/**
 * The repository part of an image reference: the tag is only looked for after the last
 * `/` so that a registry port survives (`registry:5000/app:1` → `registry:5000/app`),
 * then any `@digest` is dropped.
 */
export function imageRepository(image: string): string {
  const slash = image.lastIndexOf('/');
  const colon = image.indexOf(':', slash + 1);
  const noTag = colon < 0 ? image : image.slice(0, colon);
  const at = noTag.indexOf('@');
  return at < 0 ? noTag : noTag.slice(0, at);
}

// Readers are compiled per key: a shared reader over dynamic keys is megamorphic and
// measured several times slower.
function securityContext(key: string): PathReader {
  return compilePath(['securityContext', key]);
}

// Every container must carry the key, else the whole field is absent (as upstream).
function strict(key: string, map?: (s: string) => string): ContainerRead {
  const read = compilePath([key]);
  return (items) => {
    if (items.length === 0) return undefined;
    const out: string[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const v = renderValue(read(items[i]));
      if (v === undefined) return undefined;
      out[i] = map === undefined ? v : map(v);
    }
    return out;
  };
}

// Containers without the array are skipped; the array's items are joined by spaces.
function joined(key: string): ContainerRead {
  const read = compilePath([key]);
  return (items) => {
    const out: string[] = [];
    for (const c of items) {
      const v = read(c);
      if (Array.isArray(v)) out.push(v.map(renderValue).join(' '));
    }
    return toListValue(out);
  };
}

// Containers that do not set the value are skipped.
function optional(read: (c: unknown) => unknown): ContainerRead {
  return (items) => {
    const out: string[] = [];
    for (const c of items) {
      const v = read(c);
      if (v !== undefined) out.push(renderValue(v) as string);
    }
    return toListValue(out);
  };
}

const readPorts = compilePath(['ports']);
const readHostPort = compilePath(['hostPort']);
const readContainerPort = compilePath(['containerPort']);

function hostPorts(items: readonly unknown[]): FieldValue {
  const out: string[] = [];
  for (const c of items) {
    const ports = readPorts(c);
    if (!Array.isArray(ports)) continue;
    for (const p of ports) {
      // hostNetwork pods expose the containerPort on the host when no hostPort is set.
      const host = readHostPort(p);
      const v = host !== undefined ? host : readContainerPort(p);
      if (v !== undefined) out.push(renderValue(v) as string);
    }
  }
  return toListValue(out);
}

// The container's securityContext wins over the pod's; Kubernetes' default is root.
function effective(key: string): ContainerRead {
  const read = securityContext(key);
  return (items, spec) => {
    const pod = read(spec);
    const out: string[] = [];
    for (const c of items) {
      const own = read(c);
      const v = own !== undefined ? own : pod !== undefined ? pod : '0';
      out.push(renderValue(v) as string);
    }
    return toListValue(out);
  };
}

/** Per-container properties, keyed by the field-name suffix after the list name. */
export const CONTAINER_READS: Readonly<Record<string, ContainerRead>> = {
  name: strict('name'),
  image: strict('image'),
  'image.repository': strict('image', imageRepository),
  command: joined('command'),
  args: joined('args'),
  host_port: hostPorts,
  privileged: optional(securityContext('privileged')),
  allow_privilege_escalation: optional(securityContext('allowPrivilegeEscalation')),
  read_only_fs: optional(securityContext('readOnlyRootFilesystem')),
  run_as_user: optional(securityContext('runAsUser')),
  eff_run_as_user: effective('runAsUser'),
  run_as_group: optional(securityContext('runAsGroup')),
  eff_run_as_group: effective('runAsGroup'),
  proc_mount: optional(securityContext('procMount')),
  add_capabilities: optional(compilePath(['securityContext', 'capabilities', 'add'])),
};
