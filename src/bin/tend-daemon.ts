#!/usr/bin/env node
import { resolveTendHome } from '../core/paths.js';
import { endLeftovers, runDaemon } from '../daemon/daemon-entry.js';
import { createLazyWebServer } from '../web/lazy-web-server.js';

process.title = 'tend-daemon';
const home = resolveTendHome();
const run = process.argv.includes('--end-leftovers')
  ? // One JSON line for `tend kill` (see endLeftovers): {"ended": n}, or {"ended": null} when a daemon runs.
    endLeftovers(home).then((ended) => {
      process.stdout.write(`${JSON.stringify({ ended })}\n`);
    })
  : runDaemon(home, { resurrect: process.argv.includes('--resurrect'), web: createLazyWebServer(home) });
run.catch((error: unknown) => {
  process.stderr.write(`tend daemon: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
