export {
  buildTimeline,
  isSuspicious,
  type MarkKind,
  type Timeline,
  type TimelineEntry,
  type TimelineMark,
  type TimelineOptions,
  type TimelineSession,
} from './build-timeline.ts';
export { identityCondition, type TimelineIdentity, TimelineIdentityError } from './identity.ts';
export { formatTimelineJson, formatTimelineTable } from './render-timeline.ts';
export { runTimeline, type TimelineRun, type TimelineRunOptions } from './run-timeline.ts';
export { type TimelineEvent, toTimelineEvent } from './timeline-event.ts';
