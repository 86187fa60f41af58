import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

/** A file next to a followed log that looks like one of its rotations. */
export interface RotatedFile {
  readonly path: string;
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: number;
  readonly mtimeNs: bigint;
}

/** How many rotated files are looked at, newest first (a directory may keep years of them). */
const MAX_ROTATED = 1000;

/**
 * Whether `name` looks like a rotation of the log `base`: logrotate's `audit.log.1`,
 * `audit.log.1.gz`, `audit.log-20240101[.gz]`, and the apiserver's own (lumberjack)
 * `audit-2024-01-01T00-00-00.000.log[.gz]`.
 */
export function isRotationOf(name: string, base: string): boolean {
  if (name === base) return false;
  if (name.startsWith(`${base}.`) || name.startsWith(`${base}-`)) return true;
  const ext = extname(base);
  if (ext === '') return false;
  const stem = base.slice(0, -ext.length);
  return name.startsWith(`${stem}-`) && (name.endsWith(ext) || name.endsWith(`${ext}.gz`));
}

/** The trailing number of `audit.log.3[.gz]`: larger is older. */
function rotationNumber(name: string): number | undefined {
  const m = /\.(\d+)(?:\.gz)?$/.exec(name);
  return m === null ? undefined : Number(m[1]);
}

/** Oldest first: by modification time, then `.N` suffixes from high to low, then name. */
function olderFirst(a: RotatedFile, b: RotatedFile): number {
  if (a.mtimeNs !== b.mtimeNs) return a.mtimeNs < b.mtimeNs ? -1 : 1;
  const na = rotationNumber(basename(a.path));
  const nb = rotationNumber(basename(b.path));
  if (na !== undefined && nb !== undefined && na !== nb) return nb - na;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** The rotations of `path` in its directory (regular files), oldest first. */
export async function listRotated(path: string): Promise<RotatedFile[]> {
  const dir = dirname(path);
  const base = basename(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: RotatedFile[] = [];
  for (const name of names) {
    if (!isRotationOf(name, base)) continue;
    const p = join(dir, name);
    try {
      const st = await stat(p, { bigint: true });
      if (!st.isFile()) continue;
      out.push({ path: p, dev: st.dev, ino: st.ino, size: Number(st.size), mtimeNs: st.mtimeNs });
    } catch {
      // Gone between readdir and stat (rotated on or deleted): nothing to read.
    }
  }
  out.sort(olderFirst);
  return out.slice(-MAX_ROTATED);
}
