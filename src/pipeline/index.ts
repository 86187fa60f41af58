export { countSkippedLine, decodeLines } from './decode-lines.ts';
export {
  type CorrelationConfig,
  createDetector,
  createDetectorCorrelator,
  type Detector,
  type DetectorConfig,
} from './detector.ts';
export {
  type ParallelOptions,
  type ParallelResult,
  ParallelScanError,
  runParallelScan,
  type ScanWorkers,
  startScanWorkers,
} from './parallel/run-parallel.ts';
export {
  type PipelineOptions,
  type RecordStreamOptions,
  runPipeline,
  streamRecords,
} from './pipeline.ts';
export { type QueryRunOptions, runQuery } from './query.ts';
export { FINAL_STAGE_CONDITION, narrowCondition, type QueryNarrowing } from './query-narrowing.ts';
export {
  type LineRange,
  MAX_READ_EVENTS,
  type ReadEventsResult,
  readEventsAt,
} from './read-events.ts';
export { createSortedMatches, type SortedMatches } from './sorted-matches.ts';
export { createSwappableDetector, type SwappableDetector } from './swappable-detector.ts';
export { parseDurationNs, parseTimeBound, TimeBoundError } from './time-bound.ts';
