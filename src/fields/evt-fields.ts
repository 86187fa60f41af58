import { hostname } from 'node:os';
import type { EventSource } from '../events/record.ts';
import {
  formatIsoTime,
  formatLocalDateTime,
  formatLocalTime,
  type SplitTime,
  splitTimeNs,
} from './evt-time.ts';
import type { FieldDef } from './field.ts';
import { buildFieldDefs, type Extract, type ExtractorFactory, type FieldRow } from './table.ts';

const PLUGIN_NAMES: Readonly<Record<EventSource, string>> = {
  k8s_audit: 'k8saudit',
  k8s_admission: 'k8sadmission',
};

function timed(show: (t: SplitTime) => string): ExtractorFactory {
  return () => (_root, rec) => {
    const t = splitTimeNs(rec.timeNs);
    return t === undefined ? undefined : show(t);
  };
}

const absent: Extract = () => undefined;

const EVT_EXTRACTORS: Readonly<Record<string, ExtractorFactory>> = {
  num: () => (_root, rec) => String(rec.num),
  time: timed((t) => formatLocalTime(t, true)),
  'time.s': timed((t) => formatLocalTime(t, false)),
  'time.iso8601': timed(formatIsoTime),
  datetime: timed((t) => formatLocalDateTime(t, true)),
  'datetime.s': timed((t) => formatLocalDateTime(t, false)),
  rawtime: timed((t) => (t.s === '0' ? t.ns : `${t.s}${t.frac}`)),
  'rawtime.s': timed((t) => t.s),
  'rawtime.ns': timed((t) => t.ns),
  source: () => (_root, rec) => rec.source,
  pluginname: () => (_root, rec) => PLUGIN_NAMES[rec.source],
  // Audit events are never asynchronous (meta) events.
  is_async: () => () => 'false',
  asynctype: () => absent,
  // Read when the condition or output is compiled, as Falco reads it once at start.
  hostname: () => {
    const host = process.env.FALCO_HOSTNAME ?? hostname();
    return () => host;
  },
};

const EVT_ROWS: readonly FieldRow[] = [
  { name: 'evt.num', desc: 'Number of the event in this run, from 1.', x: 'num', type: 'uint64' },
  { name: 'evt.time', desc: 'Event time, local HH:MM:SS.nnnnnnnnn.', x: 'time' },
  { name: 'evt.time.s', desc: 'Event time, local HH:MM:SS.', x: 'time.s' },
  {
    name: 'evt.time.iso8601',
    desc: 'Event time, UTC ISO 8601 with nanoseconds (2026-03-02T10:20:00.406766000+0000).',
    x: 'time.iso8601',
    timeValue: 'iso8601',
  },
  {
    name: 'evt.datetime',
    desc: 'Event date and time, local YYYY-MM-DD HH:MM:SS.nnnnnnnnn.',
    x: 'datetime',
  },
  {
    name: 'evt.datetime.s',
    desc: 'Event date and time, local YYYY-MM-DD HH:MM:SS.',
    x: 'datetime.s',
  },
  {
    name: 'evt.rawtime',
    desc: 'Event time in nanoseconds since the epoch.',
    x: 'rawtime',
    type: 'abstime',
    timeValue: 'epoch-ns',
  },
  {
    name: 'evt.rawtime.s',
    desc: 'Whole seconds of the event time since the epoch.',
    x: 'rawtime.s',
    type: 'abstime',
  },
  {
    name: 'evt.rawtime.ns',
    desc: 'Nanosecond part of the event time.',
    x: 'rawtime.ns',
    type: 'abstime',
  },
  { name: 'evt.source', desc: 'Event source (k8s_audit, k8s_admission).', x: 'source' },
  {
    name: 'evt.pluginname',
    desc: 'Name of the Falco plugin that reads this source.',
    x: 'pluginname',
  },
  {
    name: 'evt.is_async',
    desc: 'Whether the event is asynchronous; always false here.',
    x: 'is_async',
    type: 'bool',
  },
  {
    name: 'evt.asynctype',
    desc: 'Type of an asynchronous event; never present here.',
    x: 'asynctype',
  },
  {
    name: 'evt.hostname',
    desc: 'Host name: FALCO_HOSTNAME, else the machine name.',
    x: 'hostname',
  },
];

/** Falco's generic event fields that make sense for audit events; any source. */
export function createEvtFields(): FieldDef[] {
  return buildFieldDefs(EVT_ROWS, EVT_EXTRACTORS, {
    sources: ['*'],
    guard: (x) => (rec) => x(rec.obj, rec),
    needs: () => 'metadata',
  });
}
