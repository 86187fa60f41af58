import {
  appendFileSync,
  copyFileSync,
  existsSync,
  readFileSync,
  renameSync,
  statSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createRng } from '../../bench/gen/prng.ts';

/** What a rotating writer did, for the failure message. */
export interface WriterLog {
  readonly ops: string[];
  written: number;
}

/**
 * A log writer that rotates its file the ways real ones do, at random: rename rotation
 * (logrotate `create`, the apiserver's own), copytruncate, several rotations with no
 * pause between them, and old files compressed (`delaycompress`: `.2` and older). It
 * never deletes a rotated file, so every line it wrote can still be found.
 */
export function createRotatingWriter(path: string, line: (n: number) => string, seed: number) {
  const rnd = createRng(seed).next;
  const log: WriterLog = { ops: [], written: 0 };
  const rotated = (n: number, gz: boolean) => `${path}.${n}${gz ? '.gz' : ''}`;
  const highest = (): number => {
    let n = 0;
    while (existsSync(rotated(n + 1, false)) || existsSync(rotated(n + 1, true))) n++;
    return n;
  };
  /** Moves `.n` to `.n+1`, highest first, so `.1` is free. */
  const shift = (): void => {
    for (let n = highest(); n >= 1; n--) {
      for (const gz of [true, false]) {
        if (existsSync(rotated(n, gz))) renameSync(rotated(n, gz), rotated(n + 1, gz));
      }
    }
  };
  const ops = {
    append(count: number): void {
      let text = '';
      for (let i = 0; i < count; i++) text += line(log.written++);
      // Sometimes a line is written in two pieces: the reader sees half a line first.
      const cut = rnd() < 0.3 ? Math.floor(rnd() * text.length) : text.length;
      appendFileSync(path, text.slice(0, cut));
      if (cut < text.length) appendFileSync(path, text.slice(cut));
    },
    rename(): void {
      shift();
      renameSync(path, rotated(1, false));
      writeFileSync(path, '');
    },
    copytruncate(): void {
      shift();
      copyFileSync(path, rotated(1, false));
      truncateSync(path, 0);
    },
    compress(): void {
      for (let n = highest(); n >= 2; n--) {
        const plain = rotated(n, false);
        if (!existsSync(plain)) continue;
        const st = statSync(plain);
        writeFileSync(rotated(n, true), gzipSync(readFileSync(plain)));
        utimesSync(rotated(n, true), st.atime, st.mtime); // gzip keeps the mtime
        unlinkSync(plain);
        return;
      }
    },
  };
  return {
    log,
    /** One random step; returns how long to pause after it (ms, often 0: no poll between). */
    step(): number {
      const r = rnd();
      if (r < 0.55) {
        const k = 1 + Math.floor(rnd() * 40);
        ops.append(k);
        log.ops.push(`append ${k}`);
      } else if (r < 0.7) {
        ops.rename();
        log.ops.push('rename');
      } else if (r < 0.85) {
        ops.copytruncate();
        log.ops.push('copytruncate');
      } else {
        ops.compress();
        log.ops.push('compress');
      }
      const p = rnd();
      return p < 0.5 ? 0 : p < 0.8 ? Math.floor(rnd() * 120) : Math.floor(rnd() * 600);
    },
  };
}
