import type { Correlation } from '../api/types.ts';
import { formatCount } from '../lib/format.ts';

/** Several events taken together raised this alert: how many, over what window, grouped by what. */
export function CorrelationBlock({ correlation: c }: { readonly correlation: Correlation }) {
  const group = Object.entries(c.group ?? {});
  const ids = Array.isArray(c.auditIds) ? c.auditIds : [];
  return (
    <section class="card" aria-labelledby="corr-title">
      <h2 id="corr-title">Correlation</h2>
      <p>
        {formatCount(Number(c.count) || 0)} events within{' '}
        {formatCount((Number(c.windowMs) || 0) / 1000)} s
      </p>
      {group.length > 0 ? (
        <dl class="facts">
          {group.map(([k, v]) => (
            <div key={k}>
              <dt>
                <code>{k}</code>
              </dt>
              <dd>{String(v)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {ids.length > 0 ? (
        <details>
          <summary>Audit IDs ({formatCount(ids.length)})</summary>
          <ul class="mono-list">
            {ids.slice(0, 500).map((id) => (
              <li key={id}>{String(id)}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
