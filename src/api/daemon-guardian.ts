/**
 * The guardian: a `/bin/sh` loop that runs the background daemon and starts it again when it
 * dies by a signal or an error (the OOM killer, an abort), the way systemd's
 * `Restart=on-failure` does for the unit `tend startup` writes. The new daemon finds the apps
 * the old one left, ends them and starts the same list again (DESIGN.md §1), so a crashed
 * daemon heals within seconds instead of waiting for the next command. It costs a sleeping
 * shell (~1 MiB).
 *
 * It does not retry:
 * - an exit with status 0: an orderly stop (`tend kill`, SIGTERM, `tend update`) or a daemon that
 *   found another one holding the lock;
 * - a daemon that dies within its first seconds: a start-up failure, which the command that
 *   started it reports; this also spaces restarts of a crash loop at least that far apart.
 *
 * Positional parameters: $1 the shortest run (s) that earns a restart, $2 the pause (s) before
 * it, then the daemon's command. `$0` names the process in `ps` and /proc/<pid>/cmdline.
 */
export const GUARDIAN_SCRIPT = [
  // Centiseconds since boot from /proc/uptime ("%lu.%02lu"); whole seconds from `date` where
  // there is no /proc. Whole seconds alone would blur the window by up to one second either
  // way: a daemon dying 0.1 s after it started, across a second boundary, would count as up.
  'now() {',
  '  if { read -r t _ < /proc/uptime; } 2>/dev/null; then c=${t#*.}; echo $((${t%.*} * 100 + ${c#0}))',
  '  else echo $(($(date +%s) * 100)); fi',
  '}',
  'min=$1; pause=$2; shift 2',
  'while :; do',
  '  started=$(now)',
  '  "$@"; status=$?',
  '  [ "$status" -eq 0 ] && exit 0',
  '  [ $(($(now) - started)) -lt $((min * 100)) ] && exit "$status"',
  '  sleep "$pause"',
  'done',
].join('\n');

export const GUARDIAN_NAME = 'tend-guardian';
export const GUARDIAN_SHELL = '/bin/sh';
/** A daemon starts in ~0.1 s; one that dies before this ran long enough to count as up. */
export const GUARDIAN_MIN_RUN_S = 3;
export const GUARDIAN_PAUSE_S = 1;

/** The argument vector that runs `daemonCommand` under a guardian. */
export function guardedCommand(daemonCommand: readonly string[]): { command: string; args: string[] } {
  return {
    command: GUARDIAN_SHELL,
    args: ['-c', GUARDIAN_SCRIPT, GUARDIAN_NAME, String(GUARDIAN_MIN_RUN_S), String(GUARDIAN_PAUSE_S), ...daemonCommand],
  };
}
