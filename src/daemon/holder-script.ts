import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { constants as osConstants } from 'node:os';

/**
 * The holder: a fixed /bin/sh script that is the parent of one fork-mode app, so the app's
 * output and exit status outlive the daemon (the way containerd-shim and conmon sit between
 * their manager and a container). It
 * 1. makes the FIFOs `out`, `err` and `ack` in its folder in TEND_HOME, unless the daemon made
 *    them ahead (holder-dir-pool.ts), and keeps the read ends
 *    of `out` and `err` open without ever reading them: while no daemon runs, the app's writes
 *    wait in the pipes (and block once a pipe is full) instead of failing with EPIPE;
 * 2. forks the app's process, which waits for the daemon's go line on stdin (the start gate:
 *    all apps of one command are spawned before any of them boots, see ForkDriver), then
 *    execs the app in its own session (`setsid` execs in place), stdout and stderr on the
 *    FIFOs' write ends; prints its pid;
 * 3. waits for it, writes its wait status to `status` and prints it;
 * 4. keeps the pipes until a daemon has read them to their end and writes a line into `ack`:
 *    lines an app wrote just before it died while no daemon ran are still there for the next.
 * From step 2 on it ignores the signals a stop or `sendSignal` sends around, and a write to a
 * dead daemon's pipe fails without ending it.
 *
 * Positional parameters: $1 its folder, $2/$3 whether and how PWD was in the app's environment
 * (a shell exports PWD as it starts; it is put back as it was), $4 mkfifo, $5 setsid, $6 env
 * (or empty), then the app's command and arguments, never parsed by the shell. It costs ~0.1 MiB of private memory.
 */
export const HOLDER_SCRIPT = [
  'd=$1; mkfifo=$4; setsid=$5; env=$6',
  'if [ "$2" = 1 ]; then PWD=$3; export PWD; else unset PWD; fi',
  'shift 6',
  // The daemon makes them ahead for most folders (holder-dir-pool.ts); `ack` is made last.
  '[ -p "$d/ack" ] || "$mkfifo" -m 600 "$d/out" "$d/err" "$d/ack" || exit 1',
  // A FIFO opened for reading blocks until it has a writer: open read-write first, then the
  // kept read ends, then the app's write ends, then drop the read-write ones. `ack` stays
  // read-write: reading it waits for a line, and never sees an end.
  'exec 9<>"$d/out" 7<"$d/out" 5>"$d/out" 9>&-',
  'exec 9<>"$d/err" 8<"$d/err" 6>"$d/err" 9<>"$d/ack"',
  // The app's process waits for the go line (its stdin is the holder's, the daemon's pipe),
  // then becomes the app: the pid printed below is the app's from the start.
  'exec 4<&0',
  // sh starts a background job with SIGINT and SIGQUIT ignored, and a program that is not Node
  // keeps that (a Python app never saw the stop's SIGINT and was SIGKILLed at kill_timeout):
  // env --default-signal puts them back.
  '(read -r go || exit 1; [ -z "$env" ] || exec "$env" --default-signal=INT,QUIT "$setsid" "$@" </dev/null; exec "$setsid" "$@" </dev/null) <&4 >&5 2>&6 4<&- 5>&- 6>&- 7<&- 8<&- 9<&- &',
  'pid=$!',
  'exec 0</dev/null 4<&- 5>&- 6>&- 2>/dev/null',
  "trap '' INT TERM HUP QUIT USR1 USR2 PIPE",
  'echo "$pid"',
  'wait "$pid"; s=$?',
  'echo "$s" >"$d/status"',
  'echo "$s"',
  'read -r ack <&9',
  'exit "$s"',
].join('\n');

export const HOLDER_SHELL = '/bin/sh';
/** `$0` of the holder: its name in `ps` and /proc/<pid>/cmdline. */
export const HOLDER_NAME = 'tend-holder';

/** The external commands the holder needs (absolute, so the app's PATH does not matter). */
export interface HolderTools {
  mkfifo: string;
  setsid: string;
  /** An `env` that knows --default-signal (GNU coreutils 8.31+), or null. */
  env: string | null;
}

let tools: HolderTools | null | undefined;
/** The holder's tools on this system, or null when a holder cannot run here (no /bin/sh, a distroless image). */
export function findHolderTools(): HolderTools | null {
  if (tools === undefined) {
    const mkfifo = findExecutable(['/usr/bin/mkfifo', '/bin/mkfifo']);
    const setsid = findExecutable(['/usr/bin/setsid', '/bin/setsid']);
    tools = isExecutable(HOLDER_SHELL) && mkfifo !== null && setsid !== null ? { mkfifo, setsid, env: findSignalResetEnv() } : null;
  }
  return tools;
}

/** The holder's argument vector for one app. */
export function holderArgs(dir: string, tools: HolderTools, env: Readonly<Record<string, string>>, command: string, args: readonly string[]): string[] {
  const pwd = env.PWD;
  return ['-c', HOLDER_SCRIPT, HOLDER_NAME, dir, pwd === undefined ? '0' : '1', pwd ?? '', tools.mkfifo, tools.setsid, tools.env ?? '', command, ...args];
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(Object.entries(osConstants.signals).map(([name, number]) => [number, name as NodeJS.Signals]));

/** The file in a holder's folder where a Node app writes the code it exits with (see stdio-blocking.cts). */
export const EXIT_CODE_FILE = 'code';

/**
 * The app's exit as the holder's shell reports it: a status of 128+n is signal n, as every
 * shell writes it, unless the app itself said it exited with that code (`reportedCode`: a
 * Node app writes EXIT_CODE_FILE as it exits; other apps that exit with such a code on purpose
 * read as that signal).
 */
export function decodeShellStatus(status: number, reportedCode: number | null = null): ExitStatus {
  if (reportedCode === status) return { code: status, signal: null };
  const signal = status > 128 ? SIGNAL_NAMES.get(status - 128) : undefined;
  return signal === undefined ? { code: status, signal: null } : { code: null, signal };
}

/** The content of a holder's `status` file, or null when it holds no complete status. */
export function parseStatusFile(text: string, reportedCode: number | null = null): ExitStatus | null {
  const match = /^(\d{1,3})\n$/.exec(text);
  if (match === null) return null;
  const status = Number(match[1]);
  return status <= 255 ? decodeShellStatus(status, reportedCode) : null;
}

/** The content of EXIT_CODE_FILE: the code, or null. */
export function parseExitCodeFile(text: string): number | null {
  const match = /^(\d{1,3})\n$/.exec(text);
  return match === null ? null : Number(match[1]);
}

/** `env` when it can reset signal dispositions (busybox's cannot). */
function findSignalResetEnv(): string | null {
  const env = findExecutable(['/usr/bin/env', '/bin/env']);
  if (env === null) return null;
  return spawnSync(env, ['--default-signal=INT', env], { stdio: 'ignore', env: {} }).status === 0 ? env : null;
}

function findExecutable(candidates: readonly string[]): string | null {
  return candidates.find(isExecutable) ?? null;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
