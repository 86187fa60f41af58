import type { LiveStatus } from '../lib/live.ts';

const TEXT: Readonly<Record<LiveStatus, string>> = {
  live: 'Live',
  connecting: 'Connecting…',
  off: 'Live updates off',
};

/** Whether new alerts stream in; the word says it, the dot only repeats it. */
export function LiveBadge({ status }: { readonly status: LiveStatus }) {
  return (
    <span class={`live live-${status}`} role="status">
      <span aria-hidden="true" class="live-dot" />
      {TEXT[status]}
    </span>
  );
}
