import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import type { Priority } from '../api/types.ts';
import { type AlertFilter, TEXT_FILTERS, type TextFilter } from '../lib/filters.ts';
import { isPriority, PRIORITIES } from '../lib/priority.ts';
import { TimeRange } from './time-range.tsx';

interface FilterFormProps {
  readonly filter: AlertFilter;
  readonly onChange: (f: AlertFilter) => void;
  /** Rule names for the rule field's suggestions. */
  readonly ruleNames: readonly string[];
  readonly searchRef: Ref<HTMLInputElement>;
}

const LABELS: Readonly<Record<TextFilter, string>> = {
  source: 'Source',
  tag: 'Tag',
  cluster: 'Cluster',
  namespace: 'Namespace',
  user: 'User',
  verb: 'Verb',
  resource: 'Resource',
};

const HINTS: Readonly<Partial<Record<TextFilter, string>>> = {
  source: 'k8s_audit',
  verb: 'create',
  resource: 'pods/exec',
};

/**
 * Every filter of the API. Text fields apply on Enter or "Apply"; the selects at once.
 * The form edits a draft so that a half-typed value changes nothing.
 */
export function FilterForm({ filter, onChange, ruleNames, searchRef }: FilterFormProps) {
  const [draft, setDraft] = useState(
    () =>
      ({
        q: filter.q ?? '',
        rule: '',
        ...Object.fromEntries(TEXT_FILTERS.map((k) => [k, filter.text[k] ?? ''])),
      }) as Record<'q' | 'rule' | TextFilter, string>,
  );
  const active =
    TEXT_FILTERS.filter((k) => filter.text[k] !== undefined).length + filter.rule.length;

  const apply = (e?: Event) => {
    e?.preventDefault();
    const text: Partial<Record<TextFilter, string>> = {};
    for (const k of TEXT_FILTERS) {
      const v = draft[k].trim();
      if (v !== '') text[k] = v;
    }
    const newRule = draft.rule.trim();
    const rule =
      newRule !== '' && !filter.rule.includes(newRule) ? [...filter.rule, newRule] : filter.rule;
    const q = draft.q.trim();
    const { q: _q, ...rest } = filter;
    setDraft((d) => ({ ...d, rule: '' }));
    onChange({ ...rest, text, rule, ...(q !== '' ? { q } : {}) });
  };

  const field = (k: 'q' | 'rule' | TextFilter) => ({
    value: draft[k],
    onInput: (e: Event) => {
      const v = (e.currentTarget as HTMLInputElement).value;
      setDraft((d) => ({ ...d, [k]: v }));
    },
  });

  return (
    <form class="filters" onSubmit={apply} aria-label="Alert filters">
      <div class="filter-main">
        <label class="grow">
          <span class="label-text">Search</span>
          <input
            ref={searchRef}
            id="q"
            type="search"
            placeholder="Text in the output, user, namespace… (press /)"
            maxLength={500}
            {...field('q')}
          />
        </label>
        <label>
          <span class="label-text">Minimum priority</span>
          <select
            value={filter.priority ?? ''}
            onChange={(e) => {
              const v = e.currentTarget.value;
              const { priority: _p, ...rest } = filter;
              onChange(isPriority(v) ? { ...rest, priority: v as Priority } : rest);
            }}
          >
            <option value="">Any</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p} and above
              </option>
            ))}
          </select>
        </label>
        <TimeRange key={`${filter.from}|${filter.to}`} filter={filter} onChange={onChange} />
        <button type="submit" class="primary">
          Apply
        </button>
      </div>
      <details class="filter-more" open={active > 0}>
        <summary>More filters{active > 0 ? ` (${active} active)` : ''}</summary>
        <div class="filter-grid">
          <label>
            <span class="label-text">Rule</span>
            <input list="rule-names" maxLength={500} placeholder="Add a rule…" {...field('rule')} />
            <datalist id="rule-names">
              {ruleNames.map((r) => (
                <option key={r} value={r} />
              ))}
            </datalist>
          </label>
          {TEXT_FILTERS.map((k) => (
            <label key={k}>
              <span class="label-text">{LABELS[k]}</span>
              <input maxLength={500} placeholder={HINTS[k] ?? ''} {...field(k)} />
            </label>
          ))}
        </div>
      </details>
      {filter.rule.length > 0 ? (
        <ul class="chips" aria-label="Rules">
          {filter.rule.map((r) => (
            <li key={r}>
              <span>{r}</span>
              <button
                type="button"
                aria-label={`Remove rule ${r}`}
                onClick={() => onChange({ ...filter, rule: filter.rule.filter((x) => x !== r) })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}
