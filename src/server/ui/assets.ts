import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { UiError } from './errors.ts';

/** One file, held in memory with its gzip form when that is smaller. */
export interface UiFile {
  readonly body: Buffer;
  readonly gzip: Buffer | undefined;
  readonly type: string;
}

/** The built UI: index.html (with its {{base}} token) and the hashed files by name. */
export interface UiAssets {
  readonly indexHtml: string;
  readonly files: ReadonlyMap<string, UiFile>;
}

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

// The UI is ~150 KB; this bounds memory if the directory holds something unexpected.
const MAX_TOTAL_BYTES = 32 * 1024 * 1024;

/**
 * Reads dist/ui (index.html and assets/) into memory. Serving from a map of known names
 * means no request path ever reaches the filesystem. Throws UiError `ui_not_built` when
 * the build has not run.
 */
export async function loadUiAssets(dir: string): Promise<UiAssets> {
  let indexHtml: string;
  try {
    indexHtml = await readFile(join(dir, 'index.html'), 'utf8');
  } catch {
    throw new UiError('ui_not_built', `no web UI in ${dir}: run \`npm run build\` first`);
  }
  const files = new Map<string, UiFile>();
  let total = 0;
  const assetDir = join(dir, 'assets');
  const names = await readdir(assetDir).catch(() => [] as string[]);
  for (const name of names) {
    const path = join(assetDir, name);
    if (!(await stat(path)).isFile()) continue;
    const body = await readFile(path);
    total += body.length;
    if (total > MAX_TOTAL_BYTES) {
      throw new UiError('ui_too_large', `${assetDir} holds over ${MAX_TOTAL_BYTES} bytes`);
    }
    const type = TYPES[extname(name)] ?? 'application/octet-stream';
    const gz =
      type.startsWith('text/') || type.startsWith('application/json')
        ? gzipSync(body, { level: 9 })
        : undefined;
    files.set(name, {
      body,
      gzip: gz !== undefined && gz.length < body.length ? gz : undefined,
      type,
    });
  }
  return { indexHtml, files };
}

/** index.html for a base path: `{{base}}` replaced, escaped for an HTML attribute. */
export function renderIndexHtml(template: string, basePath: string): string {
  const escaped = basePath.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return template.replaceAll('{{base}}', escaped);
}
