// Bundles the entry points (the CLI, the daemon and tend-runtime) into dist/bin with
// esbuild. Node 20 loads ES modules one file at a time, and with ~60 small modules that
// resolution cost dominated `tend jlist` and the daemon's cold start. Bundles land in dist/bin,
// two folders below the package root like every other dist module, so paths resolved from
// import.meta.url (package.json, dist/runtime, dist/web/assets) stay valid.
import { build } from 'esbuild';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const binDir = `${root}dist/bin`;
for (const file of readdirSync(binDir)) {
  if (file.startsWith('chunk-') || file.startsWith('tend-daemon.cjs') || file.startsWith('tend-fast.cjs')) rmSync(`${binDir}/${file}`);
}

const common = { bundle: true, platform: 'node', target: 'node20', packages: 'external', sourcemap: true, logLevel: 'warning' };

// The CLI: ES modules, lazily imported parts (commands, ink) in chunks of their own. Built
// apart from the daemon: shared chunks would make `tend jlist` load several files again.
// The small npm packages on its start-up path (commander, cli-table3, valibot, smol-toml,
// croner) are bundled in: loading them from node_modules cost `tend list` ~30 ms of module
// resolution. Large or optional ones stay in node_modules: the terminal dashboard (ink,
// react), TypeScript apps (tsx), file watching (chokidar), YAML configs (yaml: its CommonJS
// build does not survive bundling), and the package itself.
await build({
  ...common,
  packages: undefined,
  external: ['ink', 'react', 'react/*', 'tsx', 'tsx/*', 'chokidar', 'yaml', 'tend'],
  // Bundled CommonJS packages call require() for Node built-ins; ES modules have none.
  banner: { js: "import { createRequire as __tendRequire } from 'node:module'; const require = __tendRequire(import.meta.url);" },
  entryPoints: [`${binDir}/tend.js`],
  outdir: binDir,
  allowOverwrite: true,
  splitting: true,
  format: 'esm',
  chunkNames: 'chunk-cli-[hash]',
});

// tend-runtime, the container mode: the daemon's code and the config loader in one process.
// Bundled as the CLI is (unbundled: ~120 ms to print --help and 57 MiB with one app; bundled:
// ~83 ms and 49 MiB, measured). Its first two lines are the shell launcher (see
// src/bin/tend-runtime.ts): esbuild keeps the `#!` line and the banner follows it.
const runtimeEntry = `${binDir}/tend-runtime.js`;
const launcherLine = readFileSync(runtimeEntry, 'utf8').split('\n')[1];
if (!launcherLine?.startsWith('//bin/true;')) throw new Error('tend-runtime.js: the shell launcher is not its second line');
await build({
  ...common,
  packages: undefined,
  external: ['ink', 'react', 'react/*', 'tsx', 'tsx/*', 'chokidar', 'yaml', 'tend'],
  banner: { js: `${launcherLine}\nimport { createRequire as __tendRequire } from 'node:module'; const require = __tendRequire(import.meta.url);` },
  entryPoints: [runtimeEntry],
  outdir: binDir,
  allowOverwrite: true,
  splitting: true,
  format: 'esm',
  chunkNames: 'chunk-rt-[hash]',
});

// The daemon: one CommonJS file. Node's ES module loader alone costs the daemon 1.2 MiB of RSS
// for as long as it runs (45.5 -> 44.3 MiB idle, measured), so the daemon does without it. Its
// lazy parts (the web server, cron) stay lazy inside the file: esbuild runs a module's body on
// its first import(). The one exception is the file watcher: chokidar is ES-module only, and
// Node before 20.19 cannot require() it, so that trigger is a small ES module of its own,
// loaded by a real import() (and the ES loader with it) only for apps that watch.
const WATCH_TRIGGER = 'chunk-daemon-watch-trigger.mjs';
await build({
  ...common,
  entryPoints: [`${root}dist/daemon/triggers/watch-trigger.js`],
  outfile: `${binDir}/${WATCH_TRIGGER}`,
  format: 'esm',
});
await build({
  ...common,
  entryPoints: [`${binDir}/tend-daemon.js`],
  outfile: `${binDir}/tend-daemon.cjs`,
  format: 'cjs',
  define: { 'import.meta.url': '__tendImportMetaUrl' },
  // "use strict" first: a banner before esbuild's own directive would leave the file sloppy.
  banner: { js: '"use strict";\nconst __tendImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [
    {
      name: 'watch-trigger-as-es-module',
      setup(builder) {
        builder.onResolve({ filter: /\/watch-trigger\.js$/ }, () => ({ path: `./${WATCH_TRIGGER}`, external: true }));
      },
    },
  ],
});

// `tend ping` and `tend jlist` from the tend launcher: the fast path alone, as CommonJS (see
// src/bin/tend-fast.ts). import.meta.url is this file's own, as in the daemon's bundle.
await build({
  ...common,
  packages: undefined,
  entryPoints: [`${binDir}/tend-fast.js`],
  outfile: `${binDir}/tend-fast.cjs`,
  format: 'cjs',
  define: { 'import.meta.url': '__tendImportMetaUrl' },
  banner: { js: '"use strict";\nconst __tendImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
});

// systemd units written by earlier versions start bin/tend-daemon.js: it loads the bundle.
writeFileSync(
  `${binDir}/tend-daemon.js`,
  `#!/usr/bin/env node
// Kept for systemd units that name this file; the daemon is the CommonJS bundle beside it.
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./tend-daemon.cjs');
`,
);
