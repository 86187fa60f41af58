import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AlertFilter, AlertStore, StoredAlert } from '../../store/index.ts';
import { createAlertMatcher } from '../../store/index.ts';
import { sendApiError } from './errors.ts';

export interface StreamOptions {
  /** A comment line this often keeps proxies from closing an idle stream (default 15 s). */
  readonly keepAliveMs?: number;
  /** Open streams at most (default 100); one more is refused with 503. */
  readonly maxStreams?: number;
  /** Bytes a slow client may leave unread before it is dropped (default 1 MiB). */
  readonly maxBufferedBytes?: number;
}

/** The live streams of one server, ended together when it closes. */
export interface StreamHub {
  readonly open: number;
  handle(req: FastifyRequest, reply: FastifyReply, filter: AlertFilter): Promise<void>;
  closeAll(): void;
}

/** `event: alert` frames; `id` lets a client see which alert it got last. */
export function formatSseAlert(a: StoredAlert): string {
  return `id: ${a.id}\nevent: alert\ndata: ${JSON.stringify(a)}\n\n`;
}

export function createStreamHub(store: AlertStore, o: StreamOptions = {}): StreamHub {
  const keepAliveMs = o.keepAliveMs ?? 15_000;
  const maxStreams = o.maxStreams ?? 100;
  const maxBuffered = o.maxBufferedBytes ?? 1 << 20;
  const closers = new Set<() => void>();

  return {
    get open() {
      return closers.size;
    },
    async handle(req, reply, filter) {
      const matches = createAlertMatcher(filter);
      if (closers.size >= maxStreams) {
        await sendApiError(
          reply,
          503,
          'too_many_streams',
          `at most ${maxStreams} live streams are served`,
        );
        return;
      }
      const res = reply.raw;
      reply.hijack();
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-store',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
        connection: 'keep-alive',
      });
      let done = false;
      const write = (text: string) => {
        if (done) return;
        res.write(text);
        // A client that stops reading is dropped rather than buffered without bound.
        if (res.writableLength > maxBuffered) close();
      };
      const unsubscribe = store.subscribe((a) => {
        if (matches(a)) write(formatSseAlert(a));
      });
      const timer = setInterval(() => write(': keep-alive\n\n'), keepAliveMs);
      timer.unref();
      const close = () => {
        if (done) return;
        done = true;
        unsubscribe();
        clearInterval(timer);
        closers.delete(close);
        res.end();
      };
      closers.add(close);
      req.raw.socket.on('close', close);
      res.on('close', close);
      // Subscribed before this first line: a client that reads it misses no alert after.
      write('retry: 5000\n: connected\n\n');
    },
    closeAll() {
      for (const close of [...closers]) close();
    },
  };
}
