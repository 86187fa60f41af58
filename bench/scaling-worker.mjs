// Worker threads do not inherit tsx's loader: register it, then run bench/scaling.ts.
import { register } from 'tsx/esm/api';

register();
await import('./scaling.ts');
