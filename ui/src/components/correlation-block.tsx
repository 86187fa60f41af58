import type { Correlation } from '../api/types.ts';
import { formatCount } from '../lib/format.ts';

/** A window in ms as the rules write it: `1h30m`, `10m`, `30s`, `500ms`. */
export function formatWindow(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0s';
  if (ms % 1000 !== 0) return `${formatCount(ms)}ms`;
  let s = ms / 1000;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 ? `${s}s` : ''}`;
}

/**
 * Several events taken together raised this alert: how many, over what window, grouped
 * by what, and the auditIDs of the events. Every value came from events: rendered as text.
 */
export function CorrelationBlock({ correlation: c }: { readonly correlation: Correlation }) {
  const group = Object.entries(c.group ?? {});
  const ids = Array.isArray(c.auditIds) ? c.auditIds : [];
  const count = formatCount(Number(c.count) || 0);
  const window = formatWindow(Number(c.windowMs) || 0);
  const suppressed = typeof c.suppressed === 'number';
  return (
    <section class="card correlation" aria-labelledby="corr-title">
      <h2 id="corr-title">Correlation</h2>
      <dl class="facts">
        <div>
          <dt>{suppressed ? 'Alerts suppressed' : 'Count'}</dt>
          <dd data-corr="count">{count}</dd>
        </div>
        <div>
          <dt>Window</dt>
          <dd data-corr="window">{window}</dd>
        </div>
        {group.map(([k, v]) => (
          <div key={k}>
            <dt>
              Group <code>{k}</code>
            </dt>
            <dd data-corr="group">{String(v)}</dd>
          </div>
        ))}
      </dl>
      {ids.length > 0 ? (
        <details>
          <summary>Audit IDs ({formatCount(ids.length)})</summary>
          <ul class="mono-list" data-corr="auditids">
            {ids.slice(0, 500).map((id) => (
              <li key={id}>{String(id)}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
