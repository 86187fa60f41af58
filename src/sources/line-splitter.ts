import { Buffer, isUtf8 } from 'node:buffer';
import type { RejectFn } from '../events/reject.ts';
import { decodeBlock, decodeUtf8AsGo, PIECE_BYTES, pieceEnd } from './decode-block.ts';
import { type LongLineItem, LongLineReader } from './long-line.ts';

const NL = 0x0a;
const CR = 13;
const BOM = 0xfeff;

/** A unit of a line too long to hold (an EventList item, an array element), with its line. */
export interface LineItem extends LongLineItem {
  /** 1-based number of the line it is part of (that line is '' in `lines`). */
  readonly line: number;
}

/** Lines of one input, in order; rejected lines are left as '' to keep numbering. */
export interface LineBatch {
  /** File path or `-` for stdin. */
  readonly origin: string;
  /** 1-based number of `lines[0]` within the origin. */
  readonly firstLine: number;
  readonly lines: readonly string[];
  /** Raw bytes these lines took, newlines included. */
  readonly bytes: number;
  /**
   * The units read so far from lines longer than the limit, in order: each goes before
   * the lines numbered after its own.
   */
  readonly items?: readonly LineItem[];
}

/**
 * Splits a byte stream into lines. Complete lines of a chunk are decoded in one
 * toString + split (V8 keeps them as slices of one string); only the partial line at a
 * chunk's end is copied. A line longer than `maxLineBytes` is never held: it is read
 * unit by unit (LongLineReader: EventList items, array elements, an event without its
 * bodies) as it streams in, or skipped up to the next newline when it cannot be split.
 */
export class LineSplitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private skipping = false;
  private nextLine = 1;
  private lines: string[] = [];
  private batchFirst = 1;
  private batchBytes = 0;
  /** Bytes since the last newline (held or skipped), not yet part of a batch. */
  private partialBytes = 0;
  /** Reads the current line unit by unit once it is over the limit. */
  private long: LongLineReader | undefined;
  private longUtf8Replaced = false;
  private items: LineItem[] = [];

  constructor(
    readonly origin: string,
    private readonly maxLineBytes: number,
    private readonly reject: RejectFn,
    /** Decoded piece size (tests use tiny ones). */
    private readonly pieceBytes = PIECE_BYTES,
    /**
     * Whether line 1 starts the input, so a byte order mark there is dropped (false for
     * a byte range that starts inside a file).
     */
    private readonly atInputStart = true,
  ) {}

  /** Lines completed so far (the number the next line gets, minus one). */
  get linesRead(): number {
    return this.nextLine - 1;
  }

  /** Bytes of the line begun and not finished yet (held, or skipped while too long). */
  get pendingBytes(): number {
    return this.partialBytes;
  }

  /** Whether a partial line (no newline yet) is held. */
  get hasPartial(): boolean {
    return this.carryBytes > 0 || this.skipping;
  }

  /** Feeds bytes (not kept: `chunk` may be reused); returns the lines completed so far. */
  push(chunk: Buffer): LineBatch | undefined {
    this.batchBytes += chunk.length;
    const first = chunk.indexOf(NL);
    if (first === -1) {
      // Copy: the caller may reuse `chunk` (follow mode reads into one buffer).
      this.hold(this.skipping ? chunk : Buffer.from(chunk));
      return this.items.length > 0 ? this.take() : undefined;
    }
    this.hold(chunk.subarray(0, first));
    this.finishCarried();
    const last = chunk.lastIndexOf(NL);
    if (last > first) this.addBlock(chunk.subarray(first + 1, last));
    if (last + 1 < chunk.length) this.hold(Buffer.from(chunk.subarray(last + 1)));
    return this.take();
  }

  /** Ends the input: a last line without newline becomes a line. */
  end(): LineBatch | undefined {
    if (this.hasPartial) this.finishCarried();
    this.partialBytes = 0;
    return this.take();
  }

  /** Numbers the next line as if `n` lines had been read (following from a file's end). */
  skipLines(n: number): void {
    this.nextLine += n;
    if (this.lines.length === 0) this.batchFirst = this.nextLine;
  }

  /** Starts over at line 1 (the file was truncated or replaced); drops a held partial. */
  restart(): void {
    this.carry = [];
    this.carryBytes = 0;
    this.skipping = false;
    this.nextLine = 1;
    this.lines = [];
    this.batchFirst = 1;
    this.batchBytes = 0;
    this.partialBytes = 0;
    this.long = undefined;
    this.items = [];
  }

  private take(): LineBatch | undefined {
    if (this.lines.length === 0 && this.items.length === 0) return undefined;
    const bytes = this.batchBytes - this.partialBytes;
    const batch: LineBatch =
      this.items.length === 0
        ? { origin: this.origin, firstLine: this.batchFirst, lines: this.lines, bytes }
        : {
            origin: this.origin,
            firstLine: this.batchFirst,
            lines: this.lines,
            bytes,
            items: this.items,
          };
    this.items = [];
    this.lines = [];
    this.batchFirst = this.nextLine;
    this.batchBytes = this.partialBytes;
    return batch;
  }

  private hold(part: Buffer): void {
    this.partialBytes += part.length;
    if (part.length === 0) return;
    if (this.skipping) {
      this.long?.push(part);
      return;
    }
    if (this.carryBytes + part.length > this.maxLineBytes) {
      // Over the limit: read the rest of this line unit by unit instead of holding it.
      this.skipping = true;
      this.startLong();
      for (const c of this.carry) this.long?.push(c);
      this.long?.push(part);
      this.carry = [];
      this.carryBytes = 0;
      return;
    }
    this.carry.push(part);
    this.carryBytes += part.length;
  }

  private startLong(): void {
    const line = this.nextLine;
    this.longUtf8Replaced = false;
    this.long = new LongLineReader(this.maxLineBytes, (item) => {
      if (item.utf8Replaced) this.longUtf8Replaced = true;
      this.items.push({ ...item, line });
    });
  }

  /** Ends the long line being read: reports what could not be handed on. */
  private endLong(): void {
    const reader = this.long;
    this.long = undefined;
    if (reader === undefined) return;
    const status = reader.end();
    const line = this.nextLine;
    if (status === 'unsupported') this.tooLong();
    else if (status === 'malformed') {
      this.reject(
        'invalid_json',
        this.origin,
        line,
        `line longer than ${this.maxLineBytes} bytes is not valid JSON (what came before the error was read)`,
      );
    }
    for (let k = 0; k < reader.tooLarge; k++) {
      this.reject(
        'event_too_large',
        this.origin,
        line,
        `event over ${this.maxLineBytes} bytes (the line limit) in a long line skipped`,
      );
    }
    if (this.longUtf8Replaced) {
      this.reject(
        'utf8_replaced',
        this.origin,
        line,
        'invalid UTF-8 read as U+FFFD, as the apiserver does',
      );
    }
  }

  /** A whole line over the limit that arrived in one piece: read it the same way. */
  private readLong(text: string): void {
    this.startLong();
    this.long?.push(Buffer.from(text, 'utf8'));
    this.endLong();
  }

  private tooLong(): void {
    this.reject(
      'line_too_long',
      this.origin,
      this.nextLine,
      `line longer than ${this.maxLineBytes} bytes skipped`,
    );
  }

  /** The carried bytes form a complete line now. */
  private finishCarried(): void {
    this.partialBytes = 0;
    if (this.skipping) {
      this.skipping = false;
      this.endLong();
      this.addLine('');
      return;
    }
    const bytes = this.carry.length === 1 ? (this.carry[0] as Buffer) : Buffer.concat(this.carry);
    this.carry = [];
    this.carryBytes = 0;
    this.addLineBytes(bytes);
  }

  private addLineBytes(bytes: Buffer): void {
    if (!isUtf8(bytes)) {
      // The apiserver's decoder keeps such an event, with U+FFFD for each bad byte.
      this.reject(
        'utf8_replaced',
        this.origin,
        this.nextLine,
        'invalid UTF-8 read as U+FFFD, as the apiserver does',
      );
      this.addLine(decodeUtf8AsGo(bytes));
      return;
    }
    this.addLine(bytes.toString('utf8'));
  }

  private addLine(text: string): void {
    if (this.nextLine === 1 && this.atInputStart && text.charCodeAt(0) === BOM) {
      text = text.slice(1);
    }
    if (text.charCodeAt(text.length - 1) === CR) text = text.slice(0, -1);
    if (text.length * 3 > this.maxLineBytes && Buffer.byteLength(text) > this.maxLineBytes) {
      this.readLong(text);
      text = '';
    }
    this.lines.push(text);
    this.nextLine++;
  }

  /** Whole lines separated by '\n' (no trailing newline), decoded in pieces. */
  private addBlock(block: Buffer): void {
    let s = 0;
    while (s <= block.length) {
      const e = pieceEnd(block, s, block.length, this.pieceBytes);
      this.addPiece(block.subarray(s, e));
      s = e + 1;
    }
  }

  /** Whole lines separated by '\n' (no trailing newline). */
  private addPiece(block: Buffer): void {
    const text = decodeBlock(block);
    if (text === undefined) {
      // Rare: find the bad lines one by one so the good ones survive.
      let start = 0;
      for (;;) {
        const nl = block.indexOf(NL, start);
        this.addLineBytes(block.subarray(start, nl === -1 ? block.length : nl));
        if (nl === -1) break;
        start = nl + 1;
      }
      return;
    }
    for (const p of text.split('\n')) this.addLine(p);
  }
}
