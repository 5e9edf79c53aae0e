#!/usr/bin/env node
import { resolveTendHome } from '../core/paths.js';
import { runDaemon } from '../daemon/daemon.js';
import { createLazyWebServer } from '../web/lazy-web-server.js';

process.title = 'tend-daemon';
const home = resolveTendHome();
runDaemon(home, { resurrect: process.argv.includes('--resurrect'), web: createLazyWebServer(home) }).catch((error: unknown) => {
  process.stderr.write(`tend daemon: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
