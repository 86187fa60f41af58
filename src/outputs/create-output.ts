import { readFileSync } from 'node:fs';
import type { AlertFormatOptions } from './alert-format.ts';
import { createFileOutput } from './file-output.ts';
import type { FormatOptions } from './format.ts';
import { createHttpOutput } from './http-output.ts';
import type { Output, OutputHooks } from './output.ts';
import { OutputConfigError } from './output-errors.ts';
import type { OutputSpec } from './output-spec.ts';
import type { OutputOptions } from './output-spec-options.ts';
import { createProgramOutput } from './program-output.ts';
import { createStreamOutput } from './stream-output.ts';

/** What outputs built from specs share with the command that runs them. */
export interface OutputContext {
  /** Where `stdout` outputs write. */
  readonly stdout: NodeJS.WritableStream;
  /** The format of `stdout` outputs that name none (`--format`, `--iso-time`). */
  readonly stdoutFormat: AlertFormatOptions;
  /** `--iso-time` for the other outputs, unless their spec says otherwise. */
  readonly isoTime?: boolean;
  /** falco.yaml's json_include_*: the properties of every output's JSON alerts. */
  readonly jsonIncludes?: JsonIncludeOptions;
  readonly hooks?: OutputHooks;
}

/** The json_include_* part of the format options (falco.yaml's names in FormatOptions). */
export type JsonIncludeOptions = Pick<
  FormatOptions,
  'includeOutput' | 'includeTags' | 'includeMessage' | 'includeOutputFields'
>;

function formatOf(
  o: OutputOptions,
  fallback: AlertFormatOptions,
  isoTime?: boolean,
  includes: JsonIncludeOptions = {},
): AlertFormatOptions {
  const iso = o.isoTime ?? isoTime ?? fallback.isoTime;
  return {
    ...fallback,
    ...includes,
    format: o.format ?? fallback.format,
    ...(iso !== undefined ? { isoTime: iso } : {}),
  };
}

function bearerHeader(file: string): Record<string, string> {
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new OutputConfigError(
      'OUTPUT_FILE_UNREADABLE',
      `cannot read the bearer token file ${file}: ${(err as Error).message}`,
    );
  }
  if (token === '' || /[\r\n\0]/.test(token)) {
    throw new OutputConfigError(
      'OUTPUT_FILE_UNREADABLE',
      `the bearer token file ${file} holds no single-line token`,
    );
  }
  return { Authorization: `Bearer ${token}` };
}

/**
 * Turns a parsed spec into an Output. Throws OutputConfigError when a file it needs
 * (CA, certificate, key, token) cannot be read; a file output's own path is only
 * opened as alerts flow, and its errors are reported, not thrown.
 *
 * @example
 * const out = createOutput(parseOutputSpec('http:http://127.0.0.1:2801/'), {
 *   stdout: process.stdout,
 *   stdoutFormat: { format: 'text' },
 * });
 */
export function createOutput(spec: OutputSpec, ctx: OutputContext): Output {
  const o = spec.options;
  const common = {
    ...(o.filter !== undefined ? { filter: o.filter } : {}),
    ...(ctx.hooks !== undefined ? { hooks: ctx.hooks } : {}),
  };
  const queued = {
    ...common,
    ...(o.queueSize !== undefined ? { queueSize: o.queueSize } : {}),
    ...(o.flushTimeoutMs !== undefined ? { flushTimeoutMs: o.flushTimeoutMs } : {}),
  };
  const json: AlertFormatOptions = { format: 'json' };
  switch (spec.type) {
    case 'stdout':
      return createStreamOutput(ctx.stdout, {
        format: formatOf(o, ctx.stdoutFormat, undefined, ctx.jsonIncludes),
        ...(o.filter !== undefined ? { filter: o.filter } : {}),
      });
    case 'file':
      return createFileOutput(spec.target, {
        ...queued,
        format: formatOf(o, json, ctx.isoTime, ctx.jsonIncludes),
        ...(o.mode !== undefined ? { mode: o.mode } : {}),
      });
    case 'program':
      return createProgramOutput(spec.target, {
        ...queued,
        format: formatOf(o, json, ctx.isoTime, ctx.jsonIncludes),
      });
    case 'http':
      return createHttpOutput(spec.target, {
        ...queued,
        format: formatOf(o, json, ctx.isoTime, ctx.jsonIncludes),
        headers: {
          ...(o.bearerTokenFile !== undefined ? bearerHeader(o.bearerTokenFile) : {}),
          ...o.headers,
        },
        ...pick(o, [
          'caFile',
          'certFile',
          'keyFile',
          'insecureSkipVerify',
          'timeoutMs',
          'retries',
          'concurrency',
          'userAgent',
        ]),
      });
  }
}

function pick<K extends keyof OutputOptions>(
  o: OutputOptions,
  keys: readonly K[],
): Pick<OutputOptions, K> {
  const out: Partial<Pick<OutputOptions, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out as Pick<OutputOptions, K>;
}
