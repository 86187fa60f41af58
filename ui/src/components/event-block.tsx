import { useState } from 'preact/hooks';
import { copyText } from '../lib/copy.ts';
import { type FoldCommand, JsonView } from './json-view.tsx';

interface EventBlockProps {
  readonly title: string;
  readonly value: unknown;
  readonly id: string;
}

/** A JSON document with fold-all, unfold-all and copy. */
export function EventBlock({ title, value, id }: EventBlockProps) {
  const [fold, setFold] = useState<FoldCommand>({ open: false, serial: 0 });
  const [copied, setCopied] = useState<string | undefined>();
  const copy = async () => {
    const ok = await copyText(JSON.stringify(value, null, 2));
    setCopied(ok ? 'Copied' : 'Copy failed');
    window.setTimeout(() => setCopied(undefined), 2000);
  };
  const headingId = `${id}-title`;
  return (
    <section class="card" aria-labelledby={headingId}>
      <div class="card-head">
        <h2 id={headingId}>{title}</h2>
        {value === null || value === undefined ? null : (
          <div class="toolbar">
            <button
              type="button"
              onClick={() => setFold((f) => ({ open: true, serial: f.serial + 1 }))}
            >
              Expand all
            </button>
            <button
              type="button"
              onClick={() => setFold((f) => ({ open: false, serial: f.serial + 1 }))}
            >
              Collapse all
            </button>
            <button type="button" onClick={() => void copy()}>
              Copy JSON
            </button>
            <span class="muted" role="status">
              {copied ?? ''}
            </span>
          </div>
        )}
      </div>
      {value === null || value === undefined ? (
        <p class="muted">The event was not stored with this alert.</p>
      ) : (
        <JsonView value={value} fold={fold} />
      )}
    </section>
  );
}
