// Loaded as a blocking script in <head> (a file, since the CSP forbids inline scripts).
import { applyStoredTheme } from './lib/theme.ts';

applyStoredTheme();
