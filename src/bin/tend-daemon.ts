#!/usr/bin/env node
import { resolveTendHome } from '../core/paths.js';
import { runDaemon } from '../daemon/daemon.js';

process.title = 'tend-daemon';
runDaemon(resolveTendHome(), { resurrect: process.argv.includes('--resurrect') }).catch((error: unknown) => {
  process.stderr.write(`tend daemon: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
