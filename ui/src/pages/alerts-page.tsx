import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { apiUrl, getJson, type Params } from '../api/client.ts';
import type { AlertPage, StoredAlert } from '../api/types.ts';
import { AlertTable } from '../components/alert-table.tsx';
import { ErrorNote } from '../components/error-note.tsx';
import { ExportLinks } from '../components/export-links.tsx';
import { FilterForm } from '../components/filter-form.tsx';
import { LiveBadge } from '../components/live-badge.tsx';
import {
  addLive,
  appendPage,
  EMPTY_LIST,
  firstPage,
  type ListState,
  showPending,
} from '../lib/alert-list.ts';
import {
  type AlertFilter,
  apiParams,
  formatFilter,
  pathWithFilter,
  rangeBounds,
  readFilter,
} from '../lib/filters.ts';
import { formatCount } from '../lib/format.ts';
import { useKeys } from '../lib/keys.ts';
import { useListKeys } from '../lib/list-keys.ts';
import { useLiveAlerts } from '../lib/live.ts';
import { alertPath, navigate } from '../lib/router.ts';
import { useRuleNames } from '../lib/rule-names.ts';

const PAGE_SIZE = '50';

/** What the page had when the reader left for an alert, restored on the way back. */
interface Kept {
  readonly key: string;
  readonly list: ListState;
  readonly params: Params;
  readonly selectedId: string | undefined;
  readonly scrollY: number;
}
let kept: Kept | undefined;

function isAtTop(): boolean {
  return window.scrollY < 80;
}

export function AlertsPage({ search }: { readonly search: string }) {
  const filter = useMemo(() => readFilter(search), [search]);
  const key = formatFilter(filter);
  const restored = kept?.key === key ? kept : undefined;
  const [list, setList] = useState<ListState>(restored?.list ?? EMPTY_LIST);
  const [loading, setLoading] = useState(restored === undefined);
  const [error, setError] = useState<Error | undefined>();
  const [selectedId, setSelectedId] = useState(restored?.selectedId);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const params = useRef<Params>(restored?.params ?? {});
  const searchRef = useRef<HTMLInputElement>(null);
  const ruleNames = useRuleNames();
  const [reloads, setReloads] = useState(0);

  // First page of the filter (unless it came back from `kept`), and reloads.
  useEffect(() => {
    if (restored !== undefined && reloads === 0) {
      window.scrollTo(0, restored.scrollY);
      // Alerts stored while the reader was away (the live stream was closed) wait behind
      // the "new alerts" count, as live ones do when scrolled down.
      const ac = new AbortController();
      getJson<AlertPage>('alerts', { ...params.current, limit: PAGE_SIZE }, ac.signal).then(
        (p) => setList((s) => p.items.reduceRight((acc, a) => addLive(acc, a, false), s)),
        () => {
          // The kept rows stay as they are; the next reload shows what is missing.
        },
      );
      return () => ac.abort();
    }
    const ac = new AbortController();
    params.current = apiParams(filter, Date.now());
    setLoading(true);
    setError(undefined);
    getJson<AlertPage>('alerts', { ...params.current, limit: PAGE_SIZE }, ac.signal).then(
      (p) => {
        setList(firstPage(p.items, p.next));
        setLoading(false);
      },
      (e: unknown) => {
        if (ac.signal.aborted) return;
        setError(e instanceof Error ? e : new Error(String(e)));
        setLoading(false);
      },
    );
    return () => ac.abort();
    // `filter` is keyed by `key`; `restored` only matters on the first run.
  }, [key, reloads]);

  // Keep the rows, cursor and scroll position for the way back from an alert.
  const latest = useRef({ list, selectedId });
  latest.current = { list, selectedId };
  useEffect(
    () => () => {
      kept = { key, params: params.current, scrollY: window.scrollY, ...latest.current };
    },
    [key],
  );

  const loadMore = useCallback(async () => {
    if (loading || list.next === null) return;
    setLoading(true);
    try {
      const p = await getJson<AlertPage>('alerts', {
        ...params.current,
        limit: PAGE_SIZE,
        cursor: list.next,
      });
      setList((s) => appendPage(s, p.items, p.next));
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setLoading(false);
    }
  }, [loading, list.next]);

  // Infinite scroll: a sentinel under the table asks for the next page when it shows.
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (el === null || list.next === null) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void loadMore();
    });
    io.observe(el);
    return () => io.disconnect();
  }, [loadMore, list.next]);

  // Live: a custom range that has ended can get nothing new.
  const b = rangeBounds(filter, Date.now());
  const liveUrl =
    b.toMs !== undefined && b.toMs < Date.now()
      ? undefined
      : apiUrl('alerts/stream', apiParams(filter, Date.now(), false));
  const live = useLiveAlerts(liveUrl, (a: StoredAlert) => {
    const top = isAtTop();
    setList((s) => addLive(s, a, top));
    if (top) setFresh((f) => new Set([...f, a.id]));
  });

  const revealPending = () => {
    if (list.overflow > 0) setReloads((n) => n + 1);
    else {
      setFresh(new Set(list.pending.map((a) => a.id)));
      setList((s) => showPending(s));
    }
    window.scrollTo(0, 0);
  };

  const setFilter = (f: AlertFilter) => navigate(pathWithFilter('/alerts', f));

  useListKeys(list.items, selectedId, setSelectedId);
  useKeys({
    '/': () => searchRef.current?.focus(),
    Escape: (e) => {
      if (e.target instanceof HTMLElement && e.target.closest('form') !== null) e.target.blur();
      else return false;
      return true;
    },
    Enter: (e) => {
      const onRow = e.target === document.body || (e.target as Element).closest?.('table.alerts');
      if (!onRow || selectedId === undefined) return false;
      navigate(alertPath(selectedId));
      return true;
    },
  });

  const newCount = list.pending.length + list.overflow;
  return (
    <section class="page" aria-labelledby="alerts-title">
      <div class="page-head">
        <h1 id="alerts-title">Alerts</h1>
        <LiveBadge status={live} />
        <ExportLinks filter={filter} />
      </div>
      <FilterForm
        key={key}
        filter={filter}
        onChange={setFilter}
        ruleNames={ruleNames}
        searchRef={searchRef}
      />
      {newCount > 0 ? (
        <button type="button" class="new-alerts" onClick={revealPending} aria-live="polite">
          {formatCount(newCount)} new alert{newCount === 1 ? '' : 's'} · show
        </button>
      ) : null}
      {error !== undefined ? <ErrorNote error={error} /> : null}
      {list.items.length > 0 ? (
        <AlertTable
          items={list.items}
          selectedId={selectedId}
          fresh={fresh}
          onSelect={setSelectedId}
        />
      ) : !loading && error === undefined ? (
        <p class="empty">No alerts match this filter.</p>
      ) : null}
      <div ref={sentinel} class="list-end">
        {loading ? (
          <p class="muted" aria-live="polite">
            Loading…
          </p>
        ) : list.next !== null ? (
          <button type="button" onClick={() => void loadMore()}>
            Load more
          </button>
        ) : list.truncated ? (
          <p class="muted">
            Only the newest {formatCount(list.items.length)} are kept on this page; narrow the
            filter to see older ones.
          </p>
        ) : list.items.length > 0 ? (
          <p class="muted">End of the list · {formatCount(list.items.length)} alerts</p>
        ) : null}
      </div>
    </section>
  );
}
