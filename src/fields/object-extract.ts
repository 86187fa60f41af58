import {
  CONTAINER_LISTS,
  CONTAINER_READS,
  imageRepository,
  pickItems,
} from './container-extract.ts';
import type { FieldValue } from './field.ts';
import { compilePath, member } from './path.ts';
import { renderValue, toListValue } from './render.ts';
import type { Extract, ExtractorFactory } from './table.ts';

/**
 * Extractors over a submitted object (ka: `requestObject`, kar: `request.object`): the
 * pod's containers and volumes, a role's rules, a binding's subjects. Keys are the field
 * name after the table's prefix (`containers.image`, `volumes.hostpath`, `rules.verbs`).
 */
export function createObjectExtractors(
  objectPath: readonly string[],
): Record<string, ExtractorFactory> {
  const readObject = compilePath(objectPath);
  const readSpec = compilePath([...objectPath, 'spec']);
  const out: Record<string, ExtractorFactory> = {};

  for (const list of CONTAINER_LISTS) {
    for (const [prop, read] of Object.entries(CONTAINER_READS)) {
      out[`${list}.${prop}`] = (_key, index) => (root) => {
        const spec = readSpec(root);
        const items = pickItems(member(spec, list), index);
        return items === undefined ? undefined : read(items, spec);
      };
    }
  }

  const firstImage = (root: Record<string, unknown>): string | undefined => {
    const c = pickItems(member(readSpec(root), 'containers'), 0);
    return c === undefined ? undefined : renderValue(member(c[0], 'image'));
  };
  out['container.image'] = () => firstImage;
  out['container.image.repository'] = () => (root) => {
    const image = firstImage(root);
    return image === undefined ? undefined : imageRepository(image);
  };
  out['container.privileged'] = () => (root) => {
    const items = member(readSpec(root), 'containers');
    if (!Array.isArray(items)) return undefined;
    for (const c of items) {
      if (member(member(c, 'securityContext'), 'privileged') === true) return 'true';
    }
    return 'false';
  };

  const volumes = (read: (items: readonly unknown[]) => FieldValue): ExtractorFactory => {
    return (_key, index) => (root) => {
      const items = pickItems(member(readSpec(root), 'volumes'), index);
      return items === undefined ? undefined : read(items);
    };
  };
  out['volumes.hostpath'] = volumes((items) => collect(items, (v) => hostPath(v)));
  out['volumes.flexvolume_driver'] = volumes((items) =>
    collect(items, (v) => member(member(v, 'flexVolume'), 'driver')),
  );
  out['volumes.volume_type'] = volumes(volumeTypes);
  out['volume.hostpath'] = (key) => hostPathMatch(readSpec, key);

  for (const prop of ['apiGroups', 'nonResourceURLs', 'verbs', 'resources']) {
    out[`rules.${prop}`] = (_key, index) => (root) => {
      const rules = pickItems(member(readObject(root), 'rules'), index);
      return rules === undefined ? undefined : flatten(rules, prop);
    };
  }

  const subjects = (kind: string, show: (s: unknown) => string | undefined): ExtractorFactory => {
    return () => (root) => {
      const all = member(readObject(root), 'subjects');
      if (!Array.isArray(all)) return undefined;
      const names: string[] = [];
      for (const s of all) {
        if (member(s, 'kind') !== kind) continue;
        const v = show(s);
        if (v !== undefined) names.push(v);
      }
      return toListValue(names);
    };
  };
  const name = (s: unknown): string | undefined => renderValue(member(s, 'name'));
  out['subjects.user_names'] = subjects('User', name);
  out['subjects.group_names'] = subjects('Group', name);
  out['subjects.serviceaccount_names'] = subjects('ServiceAccount', name);
  out['subjects.serviceaccount_ns_names'] = subjects('ServiceAccount', (s) => {
    const ns = renderValue(member(s, 'namespace'));
    const n = name(s);
    return ns === undefined || n === undefined ? undefined : `${ns}:${n}`;
  });
  return out;
}

function hostPath(volume: unknown): unknown {
  return member(member(volume, 'hostPath'), 'path');
}

function collect(items: readonly unknown[], read: (v: unknown) => unknown): FieldValue {
  const out: string[] = [];
  for (const item of items) {
    const v = read(item);
    if (v !== undefined) out.push(renderValue(v) as string);
  }
  return toListValue(out);
}

// Every key of each volume but `name` names its type; a non-object volume fails the field.
function volumeTypes(items: readonly unknown[]): FieldValue {
  const out: string[] = [];
  for (const v of items) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    for (const k of Object.keys(v)) if (k !== 'name') out.push(k);
  }
  return toListValue(out);
}

// `[p*]` is a prefix test, `[p]` an exact one; present as "false" when volumes exist.
function hostPathMatch(readSpec: (o: unknown) => unknown, key: string): Extract {
  const prefix = key.endsWith('*') ? key.slice(0, -1) : undefined;
  return (root) => {
    const vols = member(readSpec(root), 'volumes');
    if (!Array.isArray(vols)) return undefined;
    for (const v of vols) {
      const p = renderValue(hostPath(v));
      if (p === undefined) continue;
      if (p === key || (prefix !== undefined && p.startsWith(prefix))) return 'true';
    }
    return 'false';
  };
}

// Each rule's array under `prop`, flattened; rules without it are skipped.
function flatten(rules: readonly unknown[], prop: string): FieldValue {
  const out: string[] = [];
  for (const r of rules) {
    const arr = member(r, prop);
    if (!Array.isArray(arr)) continue;
    for (const v of arr) out.push(renderValue(v) as string);
  }
  return toListValue(out);
}
