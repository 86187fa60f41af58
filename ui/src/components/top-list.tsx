import { formatCount } from '../lib/format.ts';
import { Link } from './link.tsx';

interface TopListProps {
  readonly title: string;
  readonly items: readonly { readonly key: string; readonly count: number }[];
  /** The list page showing the alerts behind one item, or undefined for no link. */
  readonly linkFor: (key: string) => string | undefined;
}

/** Keys with their counts, largest first, each a link to its alerts. */
export function TopList({ title, items, linkFor }: TopListProps) {
  const max = items.reduce((m, i) => Math.max(m, i.count), 0);
  const id = `top-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <section class="card top-list" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {items.length === 0 ? (
        <p class="muted">None in this range.</p>
      ) : (
        <ol>
          {items.map((it) => {
            // Alerts without the field are counted under a null or empty key.
            const key = typeof it.key === 'string' ? it.key : '';
            const to = key === '' ? undefined : linkFor(key);
            const name = key === '' ? '(none)' : key;
            return (
              <li key={key}>
                <span class="top-name">
                  {to !== undefined ? <Link to={to}>{name}</Link> : name}
                </span>
                <span class="top-count">{formatCount(it.count)}</span>
                <span
                  class="top-meter"
                  aria-hidden="true"
                  style={{ width: `${max > 0 ? Math.max(2, (100 * it.count) / max) : 0}%` }}
                />
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
