import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';

/** "Expand all" / "Collapse all" as a command with a serial number, so it can repeat. */
export interface FoldCommand {
  readonly open: boolean;
  readonly serial: number;
}

const FoldContext = createContext<FoldCommand>({ open: false, serial: 0 });

// Nodes deeper than this start closed; deeper than MAX_DEPTH are shown as text (the
// decoder bounds JSON depth already; this keeps the page bounded on its own).
const OPEN_DEPTH = 2;
const MAX_DEPTH = 64;
// Children rendered per object or array before a "show more" button.
const CHUNK = 200;

interface JsonViewProps {
  readonly value: unknown;
  readonly fold: FoldCommand;
}

/**
 * JSON as a tree of elements (never an HTML string): objects and arrays fold with
 * <details>, strings are text nodes, so markup inside a value stays visible text.
 */
export function JsonView({ value, fold }: JsonViewProps) {
  return (
    <FoldContext.Provider value={fold}>
      <div class="json">
        <JsonNode name={undefined} value={value} depth={0} />
      </div>
    </FoldContext.Provider>
  );
}

function JsonScalar({ value }: { readonly value: unknown }) {
  if (value === null) return <span class="j-null">null</span>;
  switch (typeof value) {
    case 'string':
      return <span class="j-str">{JSON.stringify(value)}</span>;
    case 'number':
      return <span class="j-num">{String(value)}</span>;
    case 'boolean':
      return <span class="j-bool">{String(value)}</span>;
    default:
      return <span class="j-null">{String(value)}</span>;
  }
}

function Key({ name }: { readonly name: string | number | undefined }) {
  if (name === undefined) return null;
  return (
    <>
      <span class={typeof name === 'number' ? 'j-index' : 'j-key'}>
        {typeof name === 'number' ? String(name) : JSON.stringify(name)}
      </span>
      <span class="j-punct">: </span>
    </>
  );
}

interface NodeProps {
  readonly name: string | number | undefined;
  readonly value: unknown;
  readonly depth: number;
}

function JsonNode({ name, value, depth }: NodeProps) {
  const isArray = Array.isArray(value);
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) {
    return (
      <div class="j-leaf">
        <Key name={name} />
        {depth >= MAX_DEPTH && value !== null && typeof value === 'object' ? (
          <span class="j-str">{JSON.stringify(value)}</span>
        ) : (
          <JsonScalar value={value} />
        )}
      </div>
    );
  }
  const entries: [string | number, unknown][] = isArray
    ? (value as unknown[]).map((v, i) => [i, v])
    : Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) {
    return (
      <div class="j-leaf">
        <Key name={name} />
        <span class="j-punct">{isArray ? '[]' : '{}'}</span>
      </div>
    );
  }
  return <JsonBranch name={name} entries={entries} isArray={isArray} depth={depth} />;
}

interface BranchProps {
  readonly name: string | number | undefined;
  readonly entries: readonly [string | number, unknown][];
  readonly isArray: boolean;
  readonly depth: number;
}

function JsonBranch({ name, entries, isArray, depth }: BranchProps) {
  const fold = useContext(FoldContext);
  const [open, setOpen] = useState(fold.serial > 0 ? fold.open : depth < OPEN_DEPTH);
  const [shown, setShown] = useState(CHUNK);
  useEffect(() => {
    if (fold.serial > 0) setOpen(fold.open);
  }, [fold]);
  const summary = isArray ? `[ ${entries.length} ]` : `{ ${entries.length} }`;
  return (
    <details class="j-branch" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <Key name={name} />
        <span class="j-punct">{summary}</span>
      </summary>
      {open ? (
        <div class="j-children">
          {entries.slice(0, shown).map(([k, v]) => (
            <JsonNode key={String(k)} name={k} value={v} depth={depth + 1} />
          ))}
          {entries.length > shown ? (
            <button type="button" class="text-button" onClick={() => setShown((n) => n + CHUNK)}>
              Show {Math.min(CHUNK, entries.length - shown)} more of {entries.length - shown}
            </button>
          ) : null}
        </div>
      ) : null}
    </details>
  );
}
