// Bundles the two latency-critical entry points (the CLI and the daemon) into dist/bin with
// esbuild. Node 20 loads ES modules one file at a time, and with ~60 small modules that
// resolution cost dominated `tend jlist` and the daemon's cold start. Chunks land beside the
// entries, two folders below the package root like every other dist module, so paths resolved
// from import.meta.url (package.json, dist/runtime, dist/web/assets) stay valid. npm packages
// on the start-up path (commander, cli-table3, valibot...) are bundled too: loading them from
// node_modules cost `tend list` ~30 ms of module resolution. Lazily imported parts (commands,
// the web server) become their own chunks.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const binDir = `${root}dist/bin`;
for (const file of readdirSync(binDir)) {
  if (file.startsWith('chunk-')) rmSync(`${binDir}/${file}`);
}

// Large or optional packages, loaded only by one command or feature, stay in node_modules:
// the terminal dashboard (ink, react), TypeScript apps (tsx), file watching (chokidar), YAML
// configs (yaml: its CommonJS build does not survive bundling), and the package itself.
const KEEP_EXTERNAL = ['ink', 'react', 'react/*', 'tsx', 'tsx/*', 'chokidar', 'yaml', 'tend'];

// Built one at a time: shared chunks between the CLI and the daemon would make `tend jlist`
// load several files again.
for (const [entry, prefix] of [['tend', 'cli'], ['tend-daemon', 'daemon']]) {
  await build({
    entryPoints: [`${binDir}/${entry}.js`],
    outdir: binDir,
    allowOverwrite: true,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Small npm packages on the start-up path are bundled too (see KEEP_EXTERNAL).
    external: KEEP_EXTERNAL,
    // Bundled CommonJS packages call require() for Node built-ins; ES modules have none.
    banner: { js: "import { createRequire as __tendRequire } from 'node:module'; const require = __tendRequire(import.meta.url);" },
    chunkNames: `chunk-${prefix}-[hash]`,
    sourcemap: true,
    logLevel: 'warning',
  });
}
