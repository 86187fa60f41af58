/**
 * One decoded event as the engine sees it. Field extractors read `obj`; the raw text is
 * kept so that `jevt.obj` and outputs can render the event without re-serialising it.
 */
import type { InputFormat } from './formats.ts';

export type EventSource = 'k8s_audit' | 'k8s_admission';

/** A decoded audit event (audit.k8s.io Event) or admission request (AdmissionReview). */
export interface AuditRecord {
  /** The parsed JSON object of this single event (never an EventList). */
  readonly obj: Record<string, unknown>;
  /** Which Falco event source this record belongs to. */
  readonly source: EventSource;
  /**
   * Event time in nanoseconds since the epoch, as a decimal string (it does not fit a
   * double). For k8s_audit it is `stageTimestamp`, for k8s_admission
   * `requestReceivedTimestamp`, as the Falco plugins do.
   */
  readonly timeNs: string;
  /** 1-based event number within the run (`evt.num`). */
  readonly num: number;
  /** Where the event came from: a file path, `-` for stdin, or a URL. */
  readonly origin?: string;
  /** 1-based line number within `origin`, when it came from a line-oriented file. */
  readonly line?: number;
  /**
   * The cluster the event came from when the input says so (`--cluster`, a webhook
   * route or token): `ka.cluster.name` falls back to it when the event carries no
   * `cluster_name` annotation.
   */
  readonly cluster?: string;
  /**
   * The shape the event was read from (an apiserver log line, an EKS, GKE or AKS export,
   * a kube-audit-rest line). GKE records are rebuilt from Cloud Logging entries and lack
   * some apiserver fields (docs/inputs-managed.md). Undefined for records built by hand.
   */
  readonly format?: InputFormat;
  /**
   * The event's JSON text as read, when the input held this one event (a log line, a
   * webhook batch's element): stores and outboxes keep it instead of serialising `obj`.
   */
  readonly text?: string;
  /**
   * The event was over the event size limit and is judged without its bodies
   * (requestObject/responseObject): its alerts carry the tag `bodies_dropped`.
   */
  readonly bodiesDropped?: boolean;
}
