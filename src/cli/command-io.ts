import { usageError } from './errors.ts';

/** Streams the process uses; tests pass their own. */
export interface CommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly argv: readonly string[];
  setExitCode(code: number): void;
}

/** Reading a terminal would wait forever: with no paths, stdin must be a pipe or file. */
export function requireInput(paths: readonly string[], io: CommandIo): void {
  const onlyStdin = paths.length === 1 && paths[0] === '-';
  if (onlyStdin && (io.stdin as NodeJS.ReadStream).isTTY === true) {
    usageError('no input: give audit log paths, or pipe a log to stdin (use - explicitly)');
  }
}
