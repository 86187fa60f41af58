export type {
  Header,
  HeaderAnnotations,
  HeaderObjectRef,
  HeaderStatus,
  HeaderUser,
} from './header.ts';
export { readsOnlyHeader } from './header-fields.ts';
export { scanHeader } from './header-scan.ts';
export { createLineSkipper } from './line-skipper.ts';
export { createLiteralFilter } from './literal-filter.ts';
export { createPrefilter, type Prefilter, type PrefilterEnv } from './prefilter.ts';
