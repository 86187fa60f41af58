import type { StoredAlertWithEvent } from '../api/types.ts';
import { type AlertFilter, pathWithFilter, type TextFilter } from '../lib/filters.ts';
import { formatFieldValue, formatTime } from '../lib/format.ts';
import { CorrelationBlock } from './correlation-block.tsx';
import { EventBlock } from './event-block.tsx';
import { Link } from './link.tsx';
import { PriorityBadge } from './priority-badge.tsx';
import { RuleBlock } from './rule-block.tsx';

/** The list filtered on one more value, over all time: "other alerts of this user". */
function listWith(key: TextFilter, value: string): string {
  const f: AlertFilter = { range: 'all', rule: [], text: { [key]: value } };
  return pathWithFilter('/alerts', f);
}

interface Fact {
  readonly label: string;
  readonly value: string | number | null;
  readonly filter?: TextFilter;
}

/** Everything about one alert. Every value shown here is text from the event. */
export function AlertDetails({ alert: a }: { readonly alert: StoredAlertWithEvent }) {
  const facts: Fact[] = [
    { label: 'User', value: a.user, filter: 'user' },
    { label: 'Verb', value: a.verb, filter: 'verb' },
    { label: 'Resource', value: a.resource, filter: 'resource' },
    { label: 'Name', value: a.name },
    { label: 'Namespace', value: a.namespace, filter: 'namespace' },
    { label: 'Source IP', value: a.sourceIp },
    { label: 'User agent', value: a.userAgent },
    { label: 'Response code', value: a.responseCode },
    { label: 'Audit ID', value: a.auditId },
    { label: 'Stage', value: a.stage },
    { label: 'Cluster', value: a.cluster, filter: 'cluster' },
    { label: 'Source', value: a.source, filter: 'source' },
    { label: 'Host', value: a.hostname },
  ];
  const fields = Object.entries(a.outputFields ?? {});
  return (
    <article class="alert" aria-labelledby="alert-title">
      <header class="alert-head">
        <PriorityBadge priority={a.priority} />
        <h1 id="alert-title">{a.rule}</h1>
        <p class="muted">
          <time dateTime={a.time}>{formatTime(a.time, 9)} UTC</time>
        </p>
      </header>
      {a.redacted ? (
        <p class="note" role="note">
          Secret values were removed before storage.
        </p>
      ) : null}
      <section class="card" aria-labelledby="output-title">
        <h2 id="output-title">Output</h2>
        <pre class="output">{a.output}</pre>
      </section>
      <div class="two-col">
        <section class="card" aria-labelledby="request-title">
          <h2 id="request-title">Request</h2>
          <dl class="facts">
            {facts.map((f) =>
              f.value === null || f.value === '' ? null : (
                <div key={f.label}>
                  <dt>{f.label}</dt>
                  <dd>
                    <span class="value">{String(f.value)}</span>
                    {f.filter !== undefined ? (
                      <Link
                        to={listWith(f.filter, String(f.value))}
                        class="filter-link"
                        aria-label={`All alerts with ${f.label.toLowerCase()} ${String(f.value)}`}
                      >
                        alerts
                      </Link>
                    ) : null}
                  </dd>
                </div>
              ),
            )}
          </dl>
        </section>
        <section class="card" aria-labelledby="fields-title">
          <h2 id="fields-title">Output fields</h2>
          {fields.length === 0 ? (
            <p class="muted">None.</p>
          ) : (
            <table class="fields">
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {fields.map(([k, v]) => (
                  <tr key={k}>
                    <th scope="row">
                      <code>{k}</code>
                    </th>
                    <td>{formatFieldValue(v)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <RuleBlock rule={a.rule} info={a.ruleInfo} tags={a.tags} />
      {a.correlation !== undefined && a.correlation !== null ? (
        <CorrelationBlock correlation={a.correlation} />
      ) : null}
      {a.explanation !== undefined && a.explanation !== null ? (
        <EventBlock title="Explanation" value={a.explanation} id="explanation" />
      ) : null}
      <EventBlock title="Audit event" value={a.event} id="event" />
    </article>
  );
}
