// Builds the web UI (ui/) into dist/ui/: index.html plus content-hashed files under
// assets/. esbuild does it (it is already the CLI's bundler): TSX with Preact's JSX
// runtime, CSS imported from the code bundled into one file, everything minified.
// index.html keeps the token {{base}}, which the server replaces with its base path.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const common = {
  bundle: true,
  minify: true,
  // Browsers since 2024: the stylesheet's light-dark() needs Chrome 123, Firefox 120,
  // Safari 17.5; nothing else here needs transpiling.
  target: ['chrome123', 'firefox120', 'safari17.5'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  entryNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
};

/** Output file names by entry ("main.js", "main.css", "theme-init.js") → hashed name. */
function namesOf(metafile) {
  const names = {};
  for (const [out, info] of Object.entries(metafile.outputs)) {
    if (info.entryPoint === undefined) continue;
    const entry = basename(info.entryPoint).replace(/\.tsx?$/, '');
    names[`${entry}.js`] = basename(out);
    if (info.cssBundle !== undefined) names[`${entry}.css`] = basename(info.cssBundle);
  }
  return names;
}

/** Builds the UI under `root` (the package directory) into `outRoot` (root/dist/ui). */
export async function buildUi(root, outRoot = join(root, 'dist', 'ui')) {
  const outdir = join(outRoot, 'assets');
  await rm(outRoot, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const app = await build({
    ...common,
    entryPoints: [join(root, 'ui/src/main.tsx')],
    format: 'esm',
    outdir,
  });
  // A classic blocking script in <head>: sets the theme before the first paint.
  const theme = await build({
    ...common,
    entryPoints: [join(root, 'ui/src/theme-init.ts')],
    format: 'iife',
    outdir,
  });
  const names = { ...namesOf(app.metafile), ...namesOf(theme.metafile) };
  let html = await readFile(join(root, 'ui/index.html'), 'utf8');
  html = html.replace(/\{\{([a-z-]+\.(?:js|css))\}\}/g, (_, key) => {
    const file = names[key];
    if (file === undefined) throw new Error(`build-ui: no output for {{${key}}}`);
    return `{{base}}/assets/${file}`;
  });
  await writeFile(join(outRoot, 'index.html'), html);
  return names;
}
