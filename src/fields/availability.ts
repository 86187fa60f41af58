import type { InputFormat } from '../events/formats.ts';

/**
 * How an input format gives a field: `real` (the apiserver's own value, unchanged),
 * `rebuilt` (kaudit derives it from what the export holds, with another meaning or
 * precision), `absent` (the export does not carry it: rules see it as absent).
 */
export type FieldAvailability = 'real' | 'rebuilt' | 'absent';

/** One field (or every field under a `prefix.*`) that a format does not give as is. */
export interface FormatFieldNote {
  /** A field name, or a prefix ending in `.*`. */
  readonly field: string;
  readonly availability: Exclude<FieldAvailability, 'real'>;
  /** Why, in a few words. */
  readonly note: string;
}

/**
 * The fields each input format gives other than as the apiserver wrote them. A field
 * not listed is real. The apiserver's own log (jsonl), EKS (CloudWatch keeps the
 * apiserver's JSON text), AKS (the same text in `properties.log`) and OVH carry every
 * field; kube-audit-rest lines and `kaudit serve /k8s-admission` carry every kar.*
 * field. GKE entries are Cloud Logging's records of the request, from which kaudit
 * rebuilds an event (events/gke.ts).
 */
export const FORMAT_FIELD_NOTES: Readonly<
  Partial<Record<InputFormat, readonly FormatFieldNote[]>>
> = {
  gke: [
    {
      field: 'ka.auditid',
      availability: 'absent',
      note: "insertId and operation.id are Cloud Logging's ids, not the apiserver's audit ID",
    },
    {
      field: 'ka.user.groups',
      availability: 'absent',
      note: 'authenticationInfo names the principal only',
    },
    {
      field: 'ka.impuser.name',
      availability: 'absent',
      note: 'the entry does not record impersonation',
    },
    {
      field: 'ka.uri.param',
      availability: 'absent',
      note: 'the rebuilt URI has no query string',
    },
    {
      field: 'ka.response.reason',
      availability: 'absent',
      note: 'the entry records no status reason',
    },
    {
      field: 'ka.stage',
      availability: 'rebuilt',
      note: 'one entry per request: ResponseComplete, ResponseStarted for exec and attach',
    },
    {
      field: 'ka.response.code',
      availability: 'rebuilt',
      note: 'the HTTP code of a failure the entry records (protoPayload.status), else 201 for create, 101 for exec and attach, 200 otherwise',
    },
    {
      field: 'ka.verb',
      availability: 'rebuilt',
      note: 'the last part of protoPayload.methodName',
    },
    {
      field: 'ka.uri',
      availability: 'rebuilt',
      note: '/ and protoPayload.resourceName, not the request path',
    },
    {
      field: 'ka.target.*',
      availability: 'rebuilt',
      note: 'parsed from protoPayload.resourceName',
    },
    {
      field: 'ka.sourceips',
      availability: 'rebuilt',
      note: 'one address, requestMetadata.callerIp (no X-Forwarded-For chain)',
    },
    {
      field: 'ka.cluster.name',
      availability: 'rebuilt',
      note: "the entry's resource.labels.cluster_name",
    },
    {
      field: 'jevt.*',
      availability: 'rebuilt',
      note: 'reads the event kaudit rebuilt, not the LogEntry',
    },
    {
      field: 'json.*',
      availability: 'rebuilt',
      note: 'reads the event kaudit rebuilt, not the LogEntry',
    },
    {
      field: 'evt.time*',
      availability: 'rebuilt',
      note: "Cloud Logging's receiveTimestamp, to the microsecond",
    },
    {
      field: 'evt.rawtime*',
      availability: 'rebuilt',
      note: "Cloud Logging's receiveTimestamp, to the microsecond",
    },
  ],
};

function covers(pattern: string, field: string): boolean {
  if (pattern.endsWith('.*')) return field.startsWith(pattern.slice(0, -1));
  if (pattern.endsWith('*')) return field.startsWith(pattern.slice(0, -1));
  return field === pattern;
}

/** How `format` gives `field` (a field name without its `[arg]`), with the reason. */
export function fieldAvailability(
  format: InputFormat,
  field: string,
): { readonly availability: FieldAvailability; readonly note?: string } {
  for (const n of FORMAT_FIELD_NOTES[format] ?? []) {
    if (covers(n.field, field)) return { availability: n.availability, note: n.note };
  }
  return { availability: 'real' };
}

/** What one format does to the fields a rule reads: the fields it lacks or rebuilds. */
export interface FormatCaveat {
  readonly format: InputFormat;
  readonly field: string;
  readonly availability: Exclude<FieldAvailability, 'real'>;
  readonly note: string;
}

/** For each format with notes, the listed fields it does not give as the apiserver did. */
export function formatCaveats(fields: readonly string[]): FormatCaveat[] {
  const out: FormatCaveat[] = [];
  for (const [format, notes] of Object.entries(FORMAT_FIELD_NOTES) as [
    InputFormat,
    readonly FormatFieldNote[],
  ][]) {
    for (const field of fields) {
      const n = notes.find((x) => covers(x.field, field));
      if (n !== undefined) out.push({ format, field, availability: n.availability, note: n.note });
    }
  }
  return out;
}
