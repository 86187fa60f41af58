/** What went wrong with an input as a whole. */
export type InputErrorCode =
  | 'ENOENT'
  | 'EACCES'
  | 'EISDIR'
  | 'GZIP_TRUNCATED'
  | 'GZIP_CORRUPT'
  | 'READ_FAILED';

const WHAT: Record<InputErrorCode, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  GZIP_TRUNCATED: 'gzip data ends early (truncated file?)',
  GZIP_CORRUPT: 'not valid gzip data',
  READ_FAILED: 'read failed',
};

/**
 * An input that cannot be read at all (missing, unreadable, broken gzip). Its message is
 * `<path>: <what>`; the CLI prints it as `kaudit: <path>: <what>`.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly code: InputErrorCode;
  readonly path: string;
  readonly detail: string | undefined;

  constructor(code: InputErrorCode, path: string, detail?: string) {
    super(`${path}: ${WHAT[code]}${detail === undefined ? '' : ` (${detail})`}`);
    this.code = code;
    this.path = path;
    this.detail = detail;
  }
}

/** Maps a Node.js fs or zlib error on `path` to an InputError. */
export function toInputError(err: unknown, path: string): InputError {
  if (err instanceof InputError) return err;
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new InputError('ENOENT', path);
    case 'EACCES':
    case 'EPERM':
      return new InputError('EACCES', path);
    case 'EISDIR':
      return new InputError('EISDIR', path);
    case 'Z_BUF_ERROR':
      return new InputError('GZIP_TRUNCATED', path);
    case 'Z_DATA_ERROR':
    case 'Z_STREAM_ERROR':
    case 'Z_NEED_DICT':
      return new InputError('GZIP_CORRUPT', path, message);
    default:
      return new InputError('READ_FAILED', path, typeof code === 'string' ? code : message);
  }
}
