import { createCredentialExtractors, KAR_CREDENTIAL_SOURCE } from './credential-fields.ts';
import type { FieldGetter } from './field.ts';
import { PATH_EXTRACTORS } from './generic-extract.ts';
import { createObjectExtractors } from './object-extract.ts';
import { compilePath } from './path.ts';
import type { Extract, ExtractorFactory } from './table.ts';

/** Extractors of the k8sadmission (`kar.*`) table, keyed by the rows' `x`. */
export const KAR_EXTRACTORS: Readonly<Record<string, ExtractorFactory>> = {
  ...PATH_EXTRACTORS,
  ...createObjectExtractors(['request', 'object']),
  ...createCredentialExtractors(KAR_CREDENTIAL_SOURCE),
};

const readUid = compilePath(['request', 'uid']);

/** The k8sadmission guard: kar.* fields need an AdmissionReview `request.uid`. */
export function guardKar(x: Extract): FieldGetter {
  return (rec) => {
    const o = rec.obj;
    return readUid(o) === undefined ? undefined : x(o, rec);
  };
}
