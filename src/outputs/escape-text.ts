import type { Alert, AlertFieldValue, MessagePart } from '../engine/index.ts';

/**
 * What must not reach a text line raw from event data: C0 controls (newline, CR, ESC,
 * ...), DEL, C1 controls (U+0080-U+009F, among them the one-byte CSI), the Unicode line
 * and paragraph separators, and the bidirectional overrides and isolates that make a
 * terminal show text in another order than it is.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

function escapeChar(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` with the unsafe characters written as escapes (`\n`, `\t`, `\u001b`). */
export function escapeControls(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeChar) : text;
}

/** A field value as the text line shows it (Falco: `<NA>`, `(a,b)`, `%20field` width). */
function renderValue(v: AlertFieldValue | undefined, width: number | undefined): string {
  const s = v === null || v === undefined ? '<NA>' : typeof v === 'string' ? v : `(${v.join(',')})`;
  if (width === undefined) return s;
  return s.length >= width ? s.slice(0, width) : s.padEnd(width, ' ');
}

/** Whether `text` holds a character escapeControls would escape. */
export function hasControls(text: string): boolean {
  return UNSAFE.test(text);
}

/** A template rendered again from field values, each escaped; its own text as written. */
export function renderEscaped(
  parts: readonly MessagePart[],
  fields: Readonly<Record<string, AlertFieldValue>>,
): string {
  let out = '';
  for (const p of parts) {
    out += typeof p === 'string' ? p : escapeControls(renderValue(fields[p.key], p.width));
  }
  return out;
}

/**
 * The alert's message with every event field value escaped (escapeControls) and the
 * rule's own text as written. Cheap when there is nothing to escape (one test of the
 * message); without a template (an alert built elsewhere) the whole message is escaped.
 */
export function escapeMessage(a: Alert): string {
  if (!UNSAFE.test(a.message)) return a.message;
  const parts = a.template;
  return parts === undefined ? escapeControls(a.message) : renderEscaped(parts, a.outputFields);
}
