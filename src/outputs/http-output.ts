import { setTimeout as sleep } from 'node:timers/promises';
import type { AlertFilterSpec } from './alert-filter.ts';
import type { AlertFormatOptions } from './alert-format.ts';
import { backoffDelay } from './backoff.ts';
import { createDeliveryQueue, type QueuedItem } from './delivery-queue.ts';
import { createPostAgent, type HttpTlsOptions, type PostResult, postOnce } from './http-post.ts';
import { createMessageReporter } from './message-reporter.ts';
import { createOutputStats, type Output, type OutputHooks } from './output.ts';
import { OutputConfigError } from './output-errors.ts';
import {
  closeTimeoutMs,
  DEFAULT_FLUSH_TIMEOUT_MS,
  DEFAULT_QUEUE_ALERTS,
} from './queue-defaults.ts';
import { createQueuedWrites } from './queued-writes.ts';

/** Options of an http output; every one has a default (docs/outputs.md). */
export interface HttpOutputOptions extends HttpTlsOptions {
  /** Default: Falco's JSON alert, the body falcosidekick reads. */
  readonly format?: AlertFormatOptions;
  readonly filter?: AlertFilterSpec;
  /** Extra request headers, e.g. `Authorization`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Default `kaudit/<version>`. */
  readonly userAgent?: string;
  /** Longest one POST may take, connect to response body (default 5 s). */
  readonly timeoutMs?: number;
  /** Tries after the first one, for network errors, timeouts, 408, 429 and 5xx (default 3). */
  readonly retries?: number;
  /** First retry delay, doubled per retry, jittered (default 250 ms). */
  readonly backoffMs?: number;
  /** Longest retry delay (default 10 s). */
  readonly maxBackoffMs?: number;
  /** Alerts in flight at once, each on its own keep-alive connection (default 4). */
  readonly concurrency?: number;
  /** Alerts waiting before the oldest are dropped (default 10,000). */
  readonly queueSize?: number;
  /** Longest a flush waits (default 10 s); see DeliveryQueue.flush. */
  readonly flushTimeoutMs?: number;
  readonly name?: string;
  readonly hooks?: OutputHooks;
}

const QUEUE_BYTES = 64 * 1024 * 1024;
const VERSION = '0.1.0';

/** Statuses worth another try: the receiver is busy or broken, not the request. */
function retryable(r: PostResult): boolean {
  if (r.status === undefined) return true;
  return r.status === 408 || r.status === 429 || r.status >= 500;
}

function describe(r: PostResult): string {
  return r.status !== undefined ? `HTTP ${r.status}` : (r.error ?? 'failed');
}

/** The name shown in logs and metrics: no credentials, no query (tokens live there). */
export function httpOutputName(url: URL): string {
  return `http:${url.origin}${url.pathname}`;
}

/**
 * POSTs each alert to a URL, one alert per request, as Falco's http_output does: by
 * default Falco's JSON alert with `Content-Type: application/json` (text alerts go as
 * `text/plain`), which is what falcosidekick reads at `/`.
 *
 * `write` renders the alert and queues it; it never waits. Up to `concurrency` requests
 * run at once over keep-alive connections; a network error, a timeout, 408, 429 or a 5xx
 * is retried with exponential backoff and jitter (honouring a Retry-After in seconds up
 * to the longest delay); another status fails the alert at once. A full queue drops its
 * oldest alerts. Every outcome is counted in `stats`; errors are reported through
 * `hooks.onMessage`. Alerts may arrive out of order when concurrency is above 1.
 *
 * `flush` resolves when every alert written before it was delivered, failed after its
 * retries, or dropped, or once `flushTimeoutMs` has passed (see DeliveryQueue.flush for
 * the stalled state); the alerts still queued then stay queued and go out later, or are
 * dropped if the queue overflows. `close` waits up to `flushTimeoutMs` once more, drops
 * what still waits, and cuts requests in flight (counted failed).
 *
 * Throws OutputConfigError for a URL that is not http(s) or TLS files that cannot be read.
 *
 * @example
 * const out = createHttpOutput('http://falcosidekick:2801/', { filter: { minPriority: 'Warning' } });
 */
export function createHttpOutput(url: string | URL, opts: HttpOutputOptions = {}): Output {
  const target = parseTarget(url);
  const formatOpts: AlertFormatOptions = opts.format ?? { format: 'json' };
  const concurrency = opts.concurrency ?? 4;
  const agent = createPostAgent(target, opts, concurrency);
  const headers: Record<string, string> = {
    'Content-Type': formatOpts.format === 'json' ? 'application/json' : 'text/plain',
    'User-Agent': opts.userAgent ?? `kaudit/${VERSION}`,
    ...opts.headers,
  };
  const timeoutMs = opts.timeoutMs ?? 5000;
  const retries = opts.retries ?? 3;
  const backoff = { initialMs: opts.backoffMs ?? 250, maxMs: opts.maxBackoffMs ?? 10_000 };
  const flushTimeoutMs = opts.flushTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS;
  const name = opts.name ?? httpOutputName(target);
  const stats = createOutputStats();
  const report = createMessageReporter(name, opts.hooks);
  const abort = new AbortController();
  let active = 0;
  let closed = false;

  const deliver = async (item: QueuedItem<string>): Promise<boolean> => {
    for (let attempt = 0; ; attempt++) {
      const r = await postOnce(target, agent, headers, item.value, timeoutMs, abort.signal);
      if (r.status !== undefined && r.status >= 200 && r.status < 300) return true;
      if (abort.signal.aborted) return false;
      if (!retryable(r) || attempt >= retries) {
        report(`POST failed: ${describe(r)}${attempt > 0 ? ` after ${attempt + 1} tries` : ''}`);
        return false;
      }
      stats.retries++;
      const wait = Math.max(
        backoffDelay(attempt, backoff),
        Math.min(r.retryAfterMs ?? 0, backoff.maxMs),
      );
      try {
        await sleep(wait, undefined, { signal: abort.signal });
      } catch {
        return false; // closed while waiting
      }
    }
  };

  const pump = (): void => {
    while (active < concurrency && !abort.signal.aborted) {
      const [item] = queue.take(1, Number.POSITIVE_INFINITY);
      if (item === undefined) return;
      active++;
      void deliver(item).then((ok) => {
        active--;
        queue.settle([item], ok ? 'delivered' : 'failed');
        pump();
      });
    }
  };

  const queue = createDeliveryQueue<string>({
    maxAlerts: opts.queueSize ?? DEFAULT_QUEUE_ALERTS,
    maxBytes: QUEUE_BYTES,
    flushTimeoutMs,
    stats,
    name,
    ...(opts.hooks !== undefined ? { hooks: opts.hooks } : {}),
    wake: pump,
  });
  const writes = createQueuedWrites({
    format: formatOpts,
    filter: opts.filter,
    queue,
    stats,
    isClosed: () => closed,
    newline: false,
  });

  return {
    name,
    stats,
    get closed() {
      return closed;
    },
    write: writes.write,
    flush: () => queue.flush(),
    async close() {
      if (closed) return;
      closed = true;
      await queue.settleWithin(closeTimeoutMs(flushTimeoutMs));
      queue.dropWaiting();
      abort.abort();
      // Requests cut by the abort settle on their own; wait for them so the counts are final.
      await queue.settleWithin(1000);
      agent.destroy();
    },
  };
}

function parseTarget(url: string | URL): URL {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    throw new OutputConfigError('OUTPUT_SPEC_INVALID', `not a URL: ${String(url)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new OutputConfigError(
      'OUTPUT_SPEC_INVALID',
      `an http output needs an http:// or https:// URL (got ${u.protocol})`,
    );
  }
  return u;
}
