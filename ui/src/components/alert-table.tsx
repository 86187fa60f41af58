import type { StoredAlert } from '../api/types.ts';
import { formatTime } from '../lib/format.ts';
import { alertPath, navigate } from '../lib/router.ts';
import { Link } from './link.tsx';
import { PriorityBadge } from './priority-badge.tsx';

interface AlertTableProps {
  readonly items: readonly StoredAlert[];
  readonly selectedId: string | undefined;
  /** Ids that arrived live, highlighted for a moment. */
  readonly fresh: ReadonlySet<string>;
  readonly onSelect: (id: string) => void;
}

function what(a: StoredAlert): string {
  const target = [a.resource, a.name].filter((x) => x !== null && x !== '').join(' ');
  return [a.verb, target].filter((x) => x !== null && x !== '').join(' ') || '—';
}

/**
 * The alerts as a table (cards on a phone, by CSS). The rule name is each row's link and
 * the keyboard's focus target; a click anywhere in the row (not a text selection) opens it.
 */
export function AlertTable({ items, selectedId, fresh, onSelect }: AlertTableProps) {
  return (
    <table class="alerts">
      <caption class="visually-hidden">Alerts, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Time (UTC)</th>
          <th scope="col">Priority</th>
          <th scope="col">Rule</th>
          <th scope="col">User</th>
          <th scope="col">Namespace</th>
          <th scope="col">Request</th>
          <th scope="col">Output</th>
        </tr>
      </thead>
      <tbody>
        {items.map((a) => (
          <tr
            key={a.id}
            data-id={a.id}
            class={`${a.id === selectedId ? 'selected' : ''} ${fresh.has(a.id) ? 'fresh' : ''}`}
            onClick={(e) => {
              if ((e.target as Element).closest('a') !== null) return;
              if ((window.getSelection()?.toString() ?? '') !== '') return;
              onSelect(a.id);
              navigate(alertPath(a.id));
            }}
          >
            <td class="c-time">
              <time dateTime={a.time} title={formatTime(a.time, 9)}>
                {formatTime(a.time, 0)}
              </time>
            </td>
            <td class="c-prio">
              <PriorityBadge priority={a.priority} />
            </td>
            <td class="c-rule">
              <Link to={alertPath(a.id)} class="row-link" onFocus={() => onSelect(a.id)}>
                {a.rule}
              </Link>
            </td>
            <td class="c-user" title={a.user ?? undefined} data-label="User">
              {a.user ?? '—'}
            </td>
            <td class="c-ns" title={a.namespace ?? undefined} data-label="Namespace">
              {a.namespace ?? '—'}
            </td>
            <td class="c-req" title={what(a)} data-label="Request">
              {what(a)}
            </td>
            <td class="c-msg" title={a.message}>
              {a.message}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
