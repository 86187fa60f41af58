import {
  CONTAINER_LISTS,
  CONTAINER_READS,
  imageRepository,
  pickItems,
} from './container-extract.ts';
import type { FieldValue } from './field.ts';
import { compilePath, type PathReader } from './path.ts';
import { renderValue, toListValue } from './render.ts';
import type { Extract, ExtractorFactory } from './table.ts';

const readName = compilePath(['name']);
const readKind = compilePath(['kind']);
const readNamespace = compilePath(['namespace']);
const readImage = compilePath(['image']);
const readPrivileged = compilePath(['securityContext', 'privileged']);
const readHostPath = compilePath(['hostPath', 'path']);
const readFlexDriver = compilePath(['flexVolume', 'driver']);

/**
 * Extractors over a submitted object (ka: `requestObject`, kar: `request.object`): the
 * pod's containers and volumes, a role's rules, a binding's subjects. Keys are the field
 * name after the table's prefix (`containers.image`, `volumes.hostpath`, `rules.verbs`).
 */
export function createObjectExtractors(
  objectPath: readonly string[],
): Record<string, ExtractorFactory> {
  const at = (...keys: string[]): PathReader => compilePath([...objectPath, ...keys]);
  const readSpec = at('spec');
  const readContainers = at('spec', 'containers');
  const readVolumes = at('spec', 'volumes');
  const readRules = at('rules');
  const readSubjects = at('subjects');
  const out: Record<string, ExtractorFactory> = {};

  for (const list of CONTAINER_LISTS) {
    const readList = at('spec', list);
    for (const [prop, read] of Object.entries(CONTAINER_READS)) {
      out[`${list}.${prop}`] = (_key, index) => (root) => {
        const items = pickItems(readList(root), index);
        return items === undefined ? undefined : read(items, readSpec(root));
      };
    }
  }

  const firstImage = (root: Record<string, unknown>): string | undefined => {
    const c = pickItems(readContainers(root), 0);
    return c === undefined ? undefined : renderValue(readImage(c[0]));
  };
  out['container.image'] = () => firstImage;
  out['container.image.repository'] = () => (root) => {
    const image = firstImage(root);
    return image === undefined ? undefined : imageRepository(image);
  };
  out['container.privileged'] = () => (root) => {
    const items = readContainers(root);
    if (!Array.isArray(items)) return undefined;
    for (const c of items) if (readPrivileged(c) === true) return 'true';
    return 'false';
  };

  const volumes = (read: (items: readonly unknown[]) => FieldValue): ExtractorFactory => {
    return (_key, index) => (root) => {
      const items = pickItems(readVolumes(root), index);
      return items === undefined ? undefined : read(items);
    };
  };
  out['volumes.hostpath'] = volumes((items) => collect(items, readHostPath));
  out['volumes.flexvolume_driver'] = volumes((items) => collect(items, readFlexDriver));
  out['volumes.volume_type'] = volumes(volumeTypes);
  out['volume.hostpath'] = (key) => hostPathMatch(readVolumes, key);

  for (const prop of ['apiGroups', 'nonResourceURLs', 'verbs', 'resources']) {
    const readProp = compilePath([prop]);
    out[`rules.${prop}`] = (_key, index) => (root) => {
      const rules = pickItems(readRules(root), index);
      return rules === undefined ? undefined : flatten(rules, readProp);
    };
  }

  const subjects = (kind: string, show: (s: unknown) => string | undefined): ExtractorFactory => {
    return () => (root) => {
      const all = readSubjects(root);
      if (!Array.isArray(all)) return undefined;
      const names: string[] = [];
      for (const s of all) {
        if (readKind(s) !== kind) continue;
        const v = show(s);
        if (v !== undefined) names.push(v);
      }
      return toListValue(names);
    };
  };
  const name = (s: unknown): string | undefined => renderValue(readName(s));
  out['subjects.user_names'] = subjects('User', name);
  out['subjects.group_names'] = subjects('Group', name);
  out['subjects.serviceaccount_names'] = subjects('ServiceAccount', name);
  out['subjects.serviceaccount_ns_names'] = subjects('ServiceAccount', (s) => {
    const ns = renderValue(readNamespace(s));
    const n = name(s);
    return ns === undefined || n === undefined ? undefined : `${ns}:${n}`;
  });
  return out;
}

function collect(items: readonly unknown[], read: PathReader): FieldValue {
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
function hostPathMatch(readVolumes: PathReader, key: string): Extract {
  const prefix = key.endsWith('*') ? key.slice(0, -1) : undefined;
  return (root) => {
    const vols = readVolumes(root);
    if (!Array.isArray(vols)) return undefined;
    for (const v of vols) {
      const p = renderValue(readHostPath(v));
      if (p === undefined) continue;
      if (p === key || (prefix !== undefined && p.startsWith(prefix))) return 'true';
    }
    return 'false';
  };
}

// Each rule's array under the property, flattened; rules without it are skipped.
function flatten(rules: readonly unknown[], readProp: PathReader): FieldValue {
  const out: string[] = [];
  for (const r of rules) {
    const arr = readProp(r);
    if (!Array.isArray(arr)) continue;
    for (const v of arr) out.push(renderValue(v) as string);
  }
  return toListValue(out);
}
