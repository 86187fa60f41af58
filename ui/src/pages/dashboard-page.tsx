import { useCallback, useMemo } from 'preact/hooks';
import { ApiError, getJson } from '../api/client.ts';
import type { CountsBy, CountsResponse } from '../api/types.ts';
import { ErrorNote } from '../components/error-note.tsx';
import { Link } from '../components/link.tsx';
import { PriorityBadge } from '../components/priority-badge.tsx';
import { StackedChart } from '../components/stacked-chart.tsx';
import { TimeRange } from '../components/time-range.tsx';
import { TopList } from '../components/top-list.tsx';
import {
  type AlertFilter,
  apiParams,
  bucketFor,
  formatFilter,
  hasConditions,
  onlyTime,
  pathWithFilter,
  RANGE_LABELS,
  rangeBounds,
  readFilter,
} from '../lib/filters.ts';
import { formatCount } from '../lib/format.ts';
import { priorityClass, priorityRank } from '../lib/priority.ts';
import { navigate } from '../lib/router.ts';
import { stackCounts } from '../lib/stack.ts';
import { useRequest } from '../lib/use-request.ts';

interface Dashboard {
  readonly byPriority: CountsResponse;
  readonly byRule: CountsResponse;
  readonly byUser: CountsResponse;
  readonly byNamespace: CountsResponse;
}

async function loadCounts(
  by: CountsBy,
  f: AlertFilter,
  nowMs: number,
  signal: AbortSignal,
): Promise<CountsResponse> {
  const b = rangeBounds(f, nowMs);
  const params = { ...apiParams(f, nowMs), by, limit: '10' };
  if (b.fromMs !== undefined) {
    return getJson(
      'alerts/counts',
      { ...params, bucket: bucketFor((b.toMs ?? nowMs) - b.fromMs) },
      signal,
    );
  }
  // No lower bound ("All time"): the API picks the bucket from the alerts it has. A server
  // that insists on one gets a day.
  try {
    return await getJson<CountsResponse>('alerts/counts', params, signal);
  } catch (e) {
    if (e instanceof ApiError && e.status === 400) {
      return getJson('alerts/counts', { ...params, bucket: '1d' }, signal);
    }
    throw e;
  }
}

function withOne(f: AlertFilter, key: 'user' | 'namespace', value: string): string {
  return `/alerts?${formatFilter({ ...f, text: { ...f.text, [key]: value } })}`;
}

export function DashboardPage({ search }: { readonly search: string }) {
  const filter = useMemo(() => readFilter(search), [search]);
  const key = formatFilter(filter);
  const state = useRequest<Dashboard>(key, async (signal) => {
    const now = Date.now();
    const [byPriority, byRule, byUser, byNamespace] = await Promise.all(
      (['priority', 'rule', 'user', 'namespace'] as const).map((by) =>
        loadCounts(by, filter, now, signal),
      ),
    );
    return { byPriority, byRule, byUser, byNamespace } as Dashboard;
  });
  const setFilter = (f: AlertFilter) => {
    navigate(pathWithFilter('/', f), { replace: true });
  };
  const colorClass = useCallback((k: string) => priorityClass(k), []);
  const stacked = useMemo(
    () => (state.status === 'ok' ? stackCounts(state.data.byPriority) : undefined),
    [state],
  );
  const listLink = pathWithFilter('/alerts', filter);

  return (
    <section class="page dashboard" aria-labelledby="dash-title">
      <div class="page-head">
        <h1 id="dash-title">Dashboard</h1>
        <TimeRange key={`${filter.from}|${filter.to}`} filter={filter} onChange={setFilter} />
      </div>
      {hasConditions(filter) ? (
        <p class="filter-note">
          Showing alerts that match the filter of the <Link to={listLink}>alert list</Link>.{' '}
          <Link to={pathWithFilter('/', onlyTime(filter))}>Clear filter</Link>
        </p>
      ) : null}
      {state.status === 'error' ? <ErrorNote error={state.error} /> : null}
      {state.status === 'loading' ? (
        <p class="muted" aria-live="polite">
          Loading…
        </p>
      ) : null}
      {state.status === 'ok' && stacked !== undefined ? (
        <>
          <section class="card summary" aria-labelledby="summary-title">
            <h2 id="summary-title">
              {formatCount(state.data.byPriority.totals.reduce((s, t) => s + t.count, 0))} alerts
              <span class="muted"> · {RANGE_LABELS[filter.range]}</span>
            </h2>
            <ul class="priority-totals">
              {[...state.data.byPriority.totals]
                .sort((a, b) => priorityRank(a.key) - priorityRank(b.key))
                .map((t) => (
                  <li key={t.key}>
                    <PriorityBadge priority={t.key} /> {formatCount(t.count)}
                  </li>
                ))}
            </ul>
            <StackedChart
              data={stacked}
              colorClass={colorClass}
              label="Alerts over time by priority"
            />
            {state.data.byPriority.totals.length === 0 && filter.range !== 'all' ? (
              <p>
                <Link to="/?range=all">Show all time</Link>
              </p>
            ) : null}
            <p>
              <Link to={listLink}>List these alerts</Link>
            </p>
          </section>
          <div class="top-lists">
            <TopList
              title="Top rules"
              items={state.data.byRule.totals}
              linkFor={(r) => `/alerts?${formatFilter({ ...filter, rule: [r] })}`}
            />
            <TopList
              title="Top users"
              items={state.data.byUser.totals}
              linkFor={(u) => withOne(filter, 'user', u)}
            />
            <TopList
              title="Top namespaces"
              items={state.data.byNamespace.totals}
              linkFor={(n) => withOne(filter, 'namespace', n)}
            />
          </div>
        </>
      ) : null}
    </section>
  );
}
