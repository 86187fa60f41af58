import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type InputError, toInputError } from './input-error.ts';

/** One thing to read: stdin or a regular file. */
export interface InputEntry {
  readonly kind: 'stdin' | 'file';
  readonly path: string;
}

/**
 * Where an input that cannot be listed goes: reported (and the others listed), or, when
 * there is no reporter, thrown.
 */
export type InputErrorSink = ((err: InputError) => void) | undefined;

function fail(err: unknown, path: string, onError: InputErrorSink): void {
  const e = toInputError(err, path);
  if (onError === undefined) throw e;
  onError(e);
}

/**
 * The regular files of a directory (not recursive), oldest modification first, as
 * Falco's k8saudit reads a directory; equal mtimes keep name order so runs repeat.
 */
export async function listDirectory(dir: string, onError?: InputErrorSink): Promise<InputEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    fail(err, dir, onError);
    return [];
  }
  names.sort();
  const files: { path: string; mtimeNs: bigint }[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      const st = await stat(path, { bigint: true });
      if (st.isFile()) files.push({ path, mtimeNs: st.mtimeNs });
    } catch {
      // Vanished or dangling symlink between readdir and stat: nothing to read.
    }
  }
  files.sort((a, b) => (a.mtimeNs < b.mtimeNs ? -1 : a.mtimeNs > b.mtimeNs ? 1 : 0));
  return files.map((f) => ({ kind: 'file', path: f.path }));
}

/**
 * Expands the command-line paths: `-` is stdin, directories become their files. A path
 * that cannot be listed goes to `onError` and the others are still listed; without
 * `onError` the first one throws InputError.
 */
export async function listInputs(
  paths: readonly string[],
  onError?: InputErrorSink,
): Promise<InputEntry[]> {
  const out: InputEntry[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push({ kind: 'stdin', path: '-' });
      continue;
    }
    let isDir: boolean;
    try {
      isDir = (await stat(p)).isDirectory();
    } catch (err) {
      fail(err, p, onError);
      continue;
    }
    if (isDir) out.push(...(await listDirectory(p, onError)));
    else out.push({ kind: 'file', path: p });
  }
  return out;
}
