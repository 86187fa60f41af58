import { REBUILT_FORMATS } from '../events/formats.ts';
import { createCredentialExtractors, KA_CREDENTIAL_SOURCE } from './credential-fields.ts';
import type { FieldGetter } from './field.ts';
import { PATH_EXTRACTORS } from './generic-extract.ts';
import { createObjectExtractors } from './object-extract.ts';
import { compilePath } from './path.ts';
import { readQueryParam } from './query-param.ts';
import { renderValue } from './render.ts';
import type { Extract, ExtractorFactory } from './table.ts';

const readUri = compilePath(['requestURI']);
const readResource = compilePath(['objectRef', 'resource']);
const readSubresource = compilePath(['objectRef', 'subresource']);
const readRespName = compilePath(['responseObject', 'metadata', 'name']);
const readClusterName = compilePath(['annotations', 'cluster_name']);

// The event's own annotation wins over the label of the input it came from.
const clusterName: Extract = (root, rec) => renderValue(readClusterName(root)) ?? rec.cluster;

const uriParam: ExtractorFactory = (key) => (root) => {
  const uri = readUri(root);
  return typeof uri === 'string' ? readQueryParam(uri, key) : undefined;
};

// Only a pod's own create/get/… carries the pod in responseObject; a subresource
// (exec, binding, …) answers with another kind of object.
const targetPodName: Extract = (root) => {
  if (readResource(root) !== 'pods') return undefined;
  const sub = readSubresource(root);
  if (sub !== undefined && sub !== '') return undefined;
  return renderValue(readRespName(root));
};

/** Extractors of the k8saudit (`ka.*`) table, keyed by the rows' `x`. */
export const KA_EXTRACTORS: Readonly<Record<string, ExtractorFactory>> = {
  ...PATH_EXTRACTORS,
  ...createObjectExtractors(['requestObject']),
  ...createCredentialExtractors(KA_CREDENTIAL_SOURCE),
  'uri.param': uriParam,
  'target.pod.name': () => targetPodName,
  'cluster.name': () => clusterName,
  // Kept for old rules; upstream answers "true" whatever the argument.
  'binding.subject.has_name': () => () => 'true',
};

/**
 * The k8saudit guard: an event without a top-level auditID has no ka.* field at all,
 * unless kaudit rebuilt it from an export entry that has no apiserver auditID (GKE).
 */
export function guardKa(x: Extract): FieldGetter {
  return (rec) => {
    const o = rec.obj;
    if (o.auditID === undefined && (rec.format === undefined || !REBUILT_FORMATS.has(rec.format))) {
      return undefined;
    }
    return x(o, rec);
  };
}
