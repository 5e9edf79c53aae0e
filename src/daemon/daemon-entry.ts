import { tendPaths } from '../core/paths.js';
import { ensureHome } from '../core/home.js';
import { createDaemonLogger } from '../logs/index.js';
import { DEFAULT_APP_UMASK, readAppUmask } from './app-umask.js';
import { Daemon, type DaemonLogger, HOLDERS_EXIT_BOUND_MS } from './daemon.js';
import { acquireDaemonLock } from './daemon-lock.js';
import { holdersDirOf } from './holder-files.js';
import { endSurvivors, holdersOf, planAll, releaseOtherHolders, waitGone } from './recovery.js';
import { emptyState, readState, writeState } from './state-file.js';
import type { WebController } from './web-controller.js';

/** The daemon's own log never fills a disk: 10 MB files, 5 kept, gzipped. */
const DAEMON_LOG_ROTATION = { maxSizeBytes: 10 * 1024 * 1024, retain: 5, compress: true };

/**
 * The daemon's whole life: take the per-home lock, clean up after a previous daemon, bring its
 * apps back, serve the control socket, and on `kill` or SIGTERM stop every app gracefully.
 */
export async function runDaemon(home: string, options: { resurrect?: boolean; web?: WebController } = {}): Promise<void> {
  const paths = tendPaths(home);
  ensureHome(paths);
  const lock = await acquireDaemonLock(paths);
  if (!lock) return; // Another daemon owns this home; the CLI will talk to it.
  const logger = createDaemonLogger(paths.daemonLog, DAEMON_LOG_ROTATION);
  settleProcess(home, logger);
  process.on('uncaughtException', (error) => logger.error('uncaught exception', { err: error }));
  process.on('unhandledRejection', (error) => logger.error('unhandled rejection', { err: error }));
  const daemon = new Daemon(paths, lock, logger, { web: options.web });
  await daemon.start();
  // `--resurrect` (the systemd unit): the saved list comes back with the daemon, no second command.
  if (options.resurrect) await daemon.resurrect();
}

/**
 * What the daemon (and every app, which inherits it) gets whoever started it: `/` as its
 * folder, so it never pins the mount of the first command's folder (apps get their own cwd),
 * and an explicit umask instead of that command's.
 */
function settleProcess(home: string, logger: DaemonLogger): void {
  process.chdir('/');
  try {
    process.umask(readAppUmask(home));
  } catch (error) {
    process.umask(DEFAULT_APP_UMASK);
    logger.error('ignored the umask of config.json', { err: error });
  }
}

/**
 * `tend kill` with no daemon running: ends what a crashed daemon left (by pid and start time,
 * each app's kill signal first) and empties the state file, without starting anything. Holds
 * the lock while it works; returns null when a daemon runs (it owns this home), else how many
 * processes were ended.
 */
export async function endLeftovers(home: string): Promise<number | null> {
  const paths = tendPaths(home);
  ensureHome(paths);
  const lock = await acquireDaemonLock(paths);
  if (!lock) return null;
  try {
    const previous = readState(paths.stateFile);
    if (previous === null) return 0;
    // Everything alive and ours is ended, the instances a daemon would adopt too.
    const plans = new Map([...planAll(previous)].map(([id, action]) => [id, action === 'adopt' ? 'end' : action] as const));
    const ended = await endSurvivors(previous, plans);
    releaseOtherHolders(holdersDirOf(home), new Set());
    await waitGone(holdersOf(previous), HOLDERS_EXIT_BOUND_MS);
    writeState(paths.stateFile, emptyState());
    return ended.length;
  } finally {
    lock.close();
  }
}

