// Worker threads do not inherit the main thread's tsx loader: register it here, then
// load the TypeScript thread (the bundle is built to dist/detection-worker.mjs instead).
import { register } from 'tsx/esm/api';

register();
await import('./thread.ts');
