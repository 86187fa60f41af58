/** Codes of OutputConfigError. */
export type OutputConfigCode =
  /** A `--output` spec that does not parse: unknown type or option, bad value. */
  | 'OUTPUT_SPEC_INVALID'
  /** A file the output needs (CA, certificate, key, token) cannot be read. */
  | 'OUTPUT_FILE_UNREADABLE'
  /** TLS options given for a plain http:// URL. */
  | 'OUTPUT_TLS_ON_HTTP'
  /** A client certificate without its key, or the reverse. */
  | 'OUTPUT_TLS_INCOMPLETE';

/**
 * An output that cannot be set up as asked. Raised when outputs are created, never
 * while alerts flow; the CLI reports it as a usage error (exit 2).
 */
export class OutputConfigError extends Error {
  override readonly name = 'OutputConfigError';
  constructor(
    readonly code: OutputConfigCode,
    message: string,
  ) {
    super(message);
  }
}
