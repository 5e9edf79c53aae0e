#!/bin/sh
//bin/true; if [ "$$" = 1 ] && [ -z "$TEND_RUNTIME_NO_REAPER" ]; then "${TEND_NODE:-node}" --max-semi-space-size=1 --no-short-builtin-calls "$0" "$@" & c=$!; trap 'kill -TERM $c 2>/dev/null' TERM; trap 'kill -INT $c 2>/dev/null' INT; s=0; while kill -0 $c 2>/dev/null; do wait $c; s=$?; done; exit $s; fi; exec "${TEND_NODE:-node}" --max-semi-space-size=1 --no-short-builtin-calls "$0" "$@"
// The two lines above are a shell launcher that Node reads as a shebang and a comment. Node 20
// has no waitpid(-1), so as PID 1 it cannot reap orphans that are re-parented to it. When the
// launcher is PID 1, it stays PID 1: it starts Node as its child, forwards SIGTERM/SIGINT and
// waits; the shell's wait reaps every child, orphans included. Otherwise it just execs Node.
// Node runs with the daemon's flags (DAEMON_NODE_FLAGS in src/api/daemon-launcher.ts, which says
// why), since the daemon's code runs here too. The build bundles this file into one ES module
// with its chunks, keeping these two lines first (scripts/bundle-entries.mjs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRuntimeArgs } from '../cli/runtime-args.js';
import { reportError } from '../cli/output.js';
import { runForeground } from '../daemon/foreground.js';

process.title = 'tend-runtime';
// A private home: no shared daemon, no state left behind when the container stops.
const home = mkdtempSync(join(tmpdir(), 'tend-rt-'));
process.on('exit', () => rmSync(home, { recursive: true, force: true }));
if (process.pid === 1) {
  process.stderr.write('tend-runtime: running as PID 1 under node, which cannot reap orphaned zombies; start it as `tend-runtime` (its shell launcher reaps) or use `docker run --init`\n');
}

async function main(): Promise<void> {
  const request = await parseRuntimeArgs(process.argv.slice(2), home);
  if (!request) process.exit(0); // --help or --version
  for (const warning of request.resolved.warnings) process.stderr.write(`tend-runtime: warning: ${warning}\n`);
  await runForeground({
    home,
    apps: request.resolved.apps,
    json: request.json,
    preStopDelayMs: request.preStopDelayMs,
    healthPort: request.healthPort,
    write: (stream, text) => (stream === 'out' ? process.stdout : process.stderr).write(text),
  });
}

main().catch((error: unknown) => {
  const code = error instanceof Error && 'code' in error && String(error.code).startsWith('commander.') ? 2 : reportError(error);
  process.exit(code);
});
