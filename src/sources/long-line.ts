import { isUtf8 } from 'node:buffer';
import { decodeUtf8AsGo } from './decode-block.ts';

/** One unit of a line too long to hold whole, as text small enough to decode. */
export interface LongLineItem {
  /**
   * `event`: an item of the line's EventList (an audit event whatever its `kind`, as
   * EventList items carry none); `payload`: an element of the line's top-level array, or
   * the line's one object, decoded as a whole line would be.
   */
  readonly kind: 'event' | 'payload';
  readonly text: string;
  /** requestObject/responseObject were left out to keep the unit within the limit. */
  readonly bodiesDropped: boolean;
  /** Its bytes were not valid UTF-8 and were read with U+FFFD. */
  readonly utf8Replaced: boolean;
}

/**
 * How a long line ended: `done` (every unit handed on or counted as too large),
 * `unsupported` (not an object or array: it cannot be split, skip it), `malformed` (the
 * JSON broke off or went wrong; units before that were handed on).
 */
export type LongLineStatus = 'done' | 'unsupported' | 'malformed';

const WS = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const MAX_KEY_BYTES = 1024;
const BODIES = new Set(['requestObject', 'responseObject']);

/** A growable byte area that can be cut back (a value that turned out too large). */
class Area {
  buf = Buffer.allocUnsafe(64 * 1024);
  len = 0;

  write(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.len + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    this.buf.set(src.subarray(start, end), this.len);
    this.len += n;
  }

  byte(c: number): void {
    if (this.len === this.buf.length) this.write(Uint8Array.of(c), 0, 1);
    else this.buf[this.len++] = c;
  }
}

// Where the reader is. Units are the objects (or other values) handed on one by one.
const S_START = 0; // before the line's value
const S_ARRAY_ELEM = 1; // before an element of the top-level array or of `items` (or its end)
const S_AFTER_ELEM = 2; // after an element: ',' or ']'
const S_MEMBER_KEY = 3; // before a member's key (or the object's end)
const S_KEY = 4; // inside a key string
const S_COLON = 5; // after a key
const S_VALUE_START = 6; // before a member's value
const S_VALUE = 7; // inside a value (scanned, captured or skipped)
const S_AFTER_MEMBER = 8; // after a member's value: ',' or '}'
const S_TAIL = 9; // after the line's value: only white space
const S_STOP = 10; // gave up (unsupported or malformed): the rest is ignored

// What happens to the value being scanned.
const M_CAPTURE = 0; // a member of the unit (too large: the unit is)
const M_BODY = 1; // requestObject/responseObject (too large: dropped, the unit goes on)
const M_SKIP = 2; // not kept

/**
 * Reads a line that is longer than the line limit without holding it: the items of an
 * EventList (`{"kind":"EventList",...,"items":[...]}`, `kind` first as the apiserver
 * writes it) and the elements of a top-level array are handed on one by one; a single
 * object (an event with huge bodies) is handed on without its requestObject and
 * responseObject when they do not fit. Each unit is held up to `limit` bytes; a unit
 * still larger than that is counted in `tooLarge` and skipped. Memory stays within
 * about two units whatever the line's length. The JSON is only scanned for structure;
 * the decoder parses and checks each unit.
 */
export class LongLineReader {
  private state = S_START;
  private status: LongLineStatus = 'done';
  /** Units skipped because they were over the limit even without their bodies. */
  tooLarge = 0;
  private topIsObject = false;
  private topKind: string | undefined;
  private inItems = false;
  private streamedItems = false;
  private elems = 0;
  // The unit being captured: its members as `,"key":value`, its bodies apart (dropped
  // first when the unit outgrows the limit), and what happened to it.
  private readonly fields = new Area();
  private readonly bodies = new Area();
  private unitKind: 'event' | 'payload' = 'payload';
  private unitDiscarded = false;
  private unitDropped = false;
  /** A unit that is a bare value (an array element that is not an object). */
  private bareUnit = false;
  // The current key (raw bytes between its quotes) and value.
  private readonly key = Buffer.allocUnsafe(MAX_KEY_BYTES);
  private keyLen = 0;
  private keyEscape = false;
  private mode = M_CAPTURE;
  /** Where the value (with its `,"key":` prefix) starts in its area, to cut it back. */
  private valueStart = 0;
  private valueKeyStart = 0;
  private valueBegun = false;
  private depth = 0;
  private inString = false;
  private escape = false;
  private scalar = false;

  constructor(
    private readonly limit: number,
    private readonly emit: (item: LongLineItem) => void,
  ) {}

  /** Feeds the next bytes of the line (without its newline). */
  push(b: Uint8Array): void {
    let i = 0;
    while (i < b.length && this.state !== S_STOP) {
      i = this.state === S_VALUE ? this.scanValue(b, i) : this.step(b, i);
    }
  }

  /** Ends the line; a value still open means it broke off. */
  end(): LongLineStatus {
    if (this.state === S_VALUE && this.scalar) this.endValue();
    if (this.state !== S_TAIL && this.state !== S_STOP) this.fail('malformed');
    return this.status;
  }

  private fail(status: LongLineStatus): void {
    if (this.status === 'done') this.status = status;
    this.state = S_STOP;
  }

  /** Handles the byte at `i` outside values; returns where to go on. */
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one state machine over bytes; its states read best side by side
  private step(b: Uint8Array, i: number): number {
    const c = b[i] as number;
    switch (this.state) {
      case S_START:
        if (WS[c] === 1 || c === 0xef || c === 0xbb || c === 0xbf) return i + 1; // BOM
        if (c === LBRACE) {
          this.topIsObject = true;
          this.startObjectUnit('payload');
          return i + 1;
        }
        if (c === LBRACKET) {
          this.state = S_ARRAY_ELEM;
          return i + 1;
        }
        this.fail('unsupported');
        return i;
      case S_ARRAY_ELEM:
        if (WS[c] === 1) return i + 1;
        if (c === RBRACKET && this.elems === 0) return this.endArray(i);
        this.elems++;
        if (c === LBRACE) {
          this.startObjectUnit(this.inItems ? 'event' : 'payload');
          return i + 1;
        }
        this.startObjectUnit(this.inItems ? 'event' : 'payload');
        this.bareUnit = true;
        this.startValue(M_CAPTURE, false);
        return i;
      case S_AFTER_ELEM:
        if (WS[c] === 1) return i + 1;
        if (c === COMMA) {
          this.state = S_ARRAY_ELEM;
          return i + 1;
        }
        if (c === RBRACKET) return this.endArray(i);
        this.fail('malformed');
        return i;
      case S_MEMBER_KEY:
        if (WS[c] === 1) return i + 1;
        if (c === QUOTE) {
          this.keyLen = 0;
          this.keyEscape = false;
          this.state = S_KEY;
          return i + 1;
        }
        if (c === RBRACE && this.fields.len === 0 && this.bodies.len === 0) {
          return this.endObject(i);
        }
        this.fail('malformed');
        return i;
      case S_KEY:
        if (this.keyEscape) this.keyEscape = false;
        else if (c === BACKSLASH) this.keyEscape = true;
        else if (c === QUOTE) {
          this.state = S_COLON;
          return i + 1;
        }
        if (this.keyLen === MAX_KEY_BYTES) this.fail('unsupported');
        else this.key[this.keyLen++] = c;
        return i + 1;
      case S_COLON:
        if (WS[c] === 1) return i + 1;
        if (c !== COLON) {
          this.fail('malformed');
          return i;
        }
        this.state = S_VALUE_START;
        return i + 1;
      case S_VALUE_START:
        return this.startMemberValue(c, i);
      case S_AFTER_MEMBER:
        if (WS[c] === 1) return i + 1;
        if (c === COMMA) {
          this.state = S_MEMBER_KEY;
          return i + 1;
        }
        if (c === RBRACE) return this.endObject(i);
        this.fail('malformed');
        return i;
      case S_TAIL:
        if (WS[c] !== 1) this.fail('malformed');
        return i + 1;
      default:
        return b.length;
    }
  }

  /** Whether the object being read is the line's own object (not an array element). */
  private isTopUnit(): boolean {
    return this.topIsObject && !this.inItems;
  }

  private startObjectUnit(kind: 'event' | 'payload'): void {
    this.unitKind = kind;
    this.fields.len = 0;
    this.bodies.len = 0;
    this.unitDiscarded = false;
    this.unitDropped = false;
    this.bareUnit = false;
    this.state = S_MEMBER_KEY;
  }

  private keyText(): string {
    return this.key.toString('latin1', 0, this.keyLen);
  }

  private startMemberValue(c: number, i: number): number {
    if (WS[c] === 1) return i + 1;
    const key = this.keyText();
    if (this.isTopUnit() && key === 'items' && this.topKind === 'EventList' && c === LBRACKET) {
      // The envelope is not needed any more: its items go on one by one.
      this.inItems = true;
      this.streamedItems = true;
      this.elems = 0;
      this.state = S_ARRAY_ELEM;
      return i + 1;
    }
    const mode = this.unitDiscarded ? M_SKIP : BODIES.has(key) ? M_BODY : M_CAPTURE;
    this.startValue(mode, true);
    return i;
  }

  /** Starts a value; `member`: it is written after its `,"key":`. */
  private startValue(mode: number, member: boolean): void {
    this.mode = mode;
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    this.scalar = false;
    this.valueBegun = false;
    this.state = S_VALUE;
    if (mode === M_SKIP) return;
    const area = mode === M_BODY ? this.bodies : this.fields;
    this.valueStart = area.len;
    if (member) {
      area.byte(COMMA);
      area.byte(QUOTE);
      area.write(this.key, 0, this.keyLen);
      area.byte(QUOTE);
      area.byte(COLON);
    }
    this.valueKeyStart = area.len;
  }

  /** Scans a value from `i` to its end or the end of `b`; returns where it stopped. */
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the inner loop over every byte of a value, kept flat and on locals
  private scanValue(b: Uint8Array, i: number): number {
    let n = i;
    let depth = this.depth;
    let inString = this.inString;
    let esc = this.escape;
    let scalar = this.scalar;
    if (!this.valueBegun) {
      this.valueBegun = true;
      const c = b[n] as number;
      if (c === QUOTE) {
        inString = true;
        n++;
      } else if (c === LBRACE || c === LBRACKET) {
        depth = 1;
        n++;
      } else scalar = true;
    }
    let end = -1;
    const len = b.length;
    if (scalar) {
      for (; n < len; n++) {
        const c = b[n] as number;
        if (c === COMMA || c === RBRACE || c === RBRACKET || WS[c] === 1) {
          end = n; // the delimiter is not part of the value
          break;
        }
      }
    } else {
      for (; n < len; n++) {
        const c = b[n] as number;
        if (inString) {
          if (esc) esc = false;
          else if (c === BACKSLASH) esc = true;
          else if (c === QUOTE) {
            inString = false;
            if (depth === 0) {
              end = n + 1;
              break;
            }
          }
        } else if (c === QUOTE) inString = true;
        else if (c === LBRACE || c === LBRACKET) depth++;
        else if ((c === RBRACE || c === RBRACKET) && --depth === 0) {
          end = n + 1;
          break;
        }
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escape = esc;
    this.scalar = scalar;
    const stop = end === -1 ? len : end;
    this.take(b, i, stop);
    if (end !== -1) this.endValue();
    return stop;
  }

  /** Keeps bytes of the value while the unit stays within the limit. */
  private take(b: Uint8Array, start: number, end: number): void {
    if (this.mode === M_SKIP || end === start) return;
    const n = end - start;
    const over = (): boolean => this.fields.len + this.bodies.len + n > this.limit;
    if (this.mode === M_CAPTURE && this.bodies.len > 0 && over()) {
      // The event without its bodies may still fit: drop them first.
      this.bodies.len = 0;
      this.unitDropped = true;
    }
    if (over()) {
      const area = this.mode === M_BODY ? this.bodies : this.fields;
      area.len = this.valueStart;
      if (this.mode === M_BODY) this.unitDropped = true;
      else this.unitDiscarded = true;
      this.mode = M_SKIP;
      return;
    }
    (this.mode === M_BODY ? this.bodies : this.fields).write(b, start, end);
  }

  private endValue(): void {
    this.state = S_AFTER_MEMBER;
    if (this.mode === M_CAPTURE && this.isTopUnit() && this.keyText() === 'kind') {
      this.topKind = parseSmallString(
        this.fields.buf.toString('utf8', this.valueKeyStart, this.fields.len),
      );
    }
    if (this.bareUnit) {
      if (this.mode === M_SKIP) this.unitDiscarded = true;
      this.finishUnit(false);
      this.state = S_AFTER_ELEM;
    }
  }

  private endObject(i: number): number {
    if (this.isTopUnit()) {
      // The line's own object, unless it was an EventList read item by item.
      if (!this.streamedItems) this.finishUnit(true);
      this.state = S_TAIL;
    } else {
      this.finishUnit(true);
      this.state = S_AFTER_ELEM;
    }
    return i + 1;
  }

  private endArray(i: number): number {
    if (this.inItems) {
      // Back in the EventList envelope, after its items.
      this.inItems = false;
      this.fields.len = 0;
      this.bodies.len = 0;
      this.state = S_AFTER_MEMBER;
      return i + 1;
    }
    this.state = S_TAIL;
    return i + 1;
  }

  private finishUnit(object: boolean): void {
    const { fields, bodies } = this;
    if (this.unitDiscarded) {
      this.tooLarge++;
      return;
    }
    let bytes: Buffer;
    if (object) {
      // Members were written with a leading comma each: the first one's is left out.
      const f = fields.buf.subarray(fields.len > 0 ? 1 : 0, fields.len);
      const b = bodies.buf.subarray(fields.len === 0 && bodies.len > 0 ? 1 : 0, bodies.len);
      bytes = Buffer.concat([OPEN, f, b, CLOSE]);
    } else bytes = Buffer.from(fields.buf.subarray(0, fields.len));
    const ok = isUtf8(bytes);
    this.emit({
      kind: this.unitKind,
      text: ok ? bytes.toString('utf8') : decodeUtf8AsGo(bytes),
      bodiesDropped: this.unitDropped,
      utf8Replaced: !ok,
    });
  }
}

const OPEN = Buffer.from('{');
const CLOSE = Buffer.from('}');

/** The string a small captured JSON value holds, if it is one. */
function parseSmallString(text: string): string | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}
