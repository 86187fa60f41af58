import type { RuleInfo } from '../api/types.ts';
import { pathWithFilter } from '../lib/filters.ts';
import { Link } from './link.tsx';

interface RuleBlockProps {
  readonly rule: string;
  readonly info: RuleInfo | null;
  readonly tags: readonly string[];
}

/** The rule behind the alert: what it looks for and where it is written. */
export function RuleBlock({ rule, info, tags }: RuleBlockProps) {
  const allTags = info?.tags ?? tags;
  return (
    <section class="card" aria-labelledby="rule-title">
      <h2 id="rule-title">Rule</h2>
      {info === null ? (
        <p class="muted">This rule is no longer loaded; only its name and tags are known.</p>
      ) : (
        <>
          <p class="rule-desc">{info.description}</p>
          <h3>Condition</h3>
          <pre class="condition">{info.condition}</pre>
          <dl class="facts">
            <div>
              <dt>Priority</dt>
              <dd>{info.priority}</dd>
            </div>
            <div>
              <dt>Source</dt>
              <dd>{info.source}</dd>
            </div>
            <div>
              <dt>Defined at</dt>
              <dd>
                <code>{info.defined}</code>
              </dd>
            </div>
          </dl>
        </>
      )}
      {allTags.length > 0 ? (
        <ul class="tags" aria-label="Tags">
          {allTags.map((t) => (
            <li key={t}>
              <Link to={pathWithFilter('/alerts', { range: 'all', rule: [], text: { tag: t } })}>
                {t}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <Link to={pathWithFilter('/alerts', { range: 'all', rule: [rule], text: {} })}>
          All alerts of this rule
        </Link>
      </p>
    </section>
  );
}
