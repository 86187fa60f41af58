import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is tests/helpers/shared.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * ../shared holds the upstream fixtures (Falco rules, traces, Kubernetes policy vectors).
 * A user's fresh clone does not have it; tests that need it skip with this reason.
 * KAUDIT_SHARED overrides the location.
 */
export const SHARED_DIR = process.env.KAUDIT_SHARED ?? join(REPO_ROOT, '..', 'shared');
export const HAS_SHARED = existsSync(join(SHARED_DIR, 'fixtures'));
export const SHARED_SKIP = HAS_SHARED
  ? false
  : `../shared/fixtures not found at ${SHARED_DIR} (set KAUDIT_SHARED); upstream fixture tests skipped`;

/** Absolute path of a file under ../shared/fixtures. */
export function sharedFixture(...parts: string[]): string {
  return join(SHARED_DIR, 'fixtures', ...parts);
}
