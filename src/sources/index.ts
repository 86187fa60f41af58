export { CHUNK_BYTES } from './chunks.ts';
export { POLL_MS } from './follow-file.ts';
export { InputError, type InputErrorCode } from './input-error.ts';
export type { LineBatch } from './line-splitter.ts';
export { type InputEntry, listInputs } from './list-inputs.ts';
export { DEFAULT_MAX_LINE_BYTES, type ReadOptions, readInputs } from './read-inputs.ts';
