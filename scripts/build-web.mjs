// Bundles the dashboard (src/web/ui, preact + uPlot) into dist/web/assets with esbuild: one
// app.js, one app.css and index.html, all served by the daemon itself. No CDN, no runtime deps.
// esbuild comes with tsx; src/web/ui is type-checked by `tsc -p src/web/ui/tsconfig.json`.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/web/assets`;
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

await build({
  entryPoints: { app: `${root}src/web/ui/main.tsx` },
  outdir,
  bundle: true,
  format: 'esm',
  minify: true,
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(`${root}src/web/ui/index.html`, `${outdir}/index.html`);

const size = (name) => `${(statSync(`${outdir}/${name}`).size / 1024).toFixed(1)} KB`;
console.log(`dashboard bundle: app.js ${size('app.js')}, app.css ${size('app.css')}`);
