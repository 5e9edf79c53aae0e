/**
 * Running a fork-mode app as another user, as `su` does: the user's uid, the primary group the
 * config resolved, and the user's supplementary groups. Node's spawn `uid`/`gid` options drop
 * every supplementary group (libuv calls setgroups(0) before setgid/setuid), so an app run as
 * `www` lost its membership of, say, `ssl-cert`. Where the daemon is root and util-linux's
 * `setpriv` is installed, the app is exec'ed through `setpriv --init-groups` instead (the same
 * pid: setpriv execs the app). Elsewhere Node's options are used, and the app gets no
 * supplementary group. Cluster workers are forked by node:cluster, which takes uid and gid only:
 * they too get no supplementary group (README, "Running as another user").
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { TendError } from '../core/errors.js';

export interface Ids {
  uid: number | null;
  gid: number | null;
}

/** What to spawn: the file, its arguments, and the ids Node should switch to itself (if any). */
export interface SpawnPlan {
  file: string;
  argv: string[];
  uid?: number;
  gid?: number;
  /** True when setpriv switches the ids (and the groups) before it execs the app. */
  viaSetpriv: boolean;
}

export interface DropFacts {
  /** The daemon's own uid: only root can take the groups of another user. */
  daemonUid: number;
  /** Path of `setpriv`, or null when it is not installed. */
  setpriv: string | null;
  /** Whether the uid has an /etc/passwd entry (its groups come from its name). */
  userKnown: boolean;
}

/** How to start `file argv` under `ids`. Pure. */
export function planPrivilegeDrop(file: string, argv: string[], ids: Ids, facts: DropFacts): SpawnPlan {
  if (ids.uid === null && ids.gid === null) return { file, argv, viaSetpriv: false };
  const viaNode: SpawnPlan = {
    file,
    argv,
    viaSetpriv: false,
    ...(ids.uid === null ? {} : { uid: ids.uid }),
    ...(ids.gid === null ? {} : { gid: ids.gid }),
  };
  if (ids.uid === null || ids.gid === null || facts.daemonUid !== 0 || facts.setpriv === null) return viaNode;
  // A uid unknown to /etc/passwd has no groups to take: it gets none, as with Node's options.
  const groups = facts.userKnown ? '--init-groups' : '--clear-groups';
  return {
    file: facts.setpriv,
    argv: ['--reuid', String(ids.uid), '--regid', String(ids.gid), groups, '--', file, ...argv],
    viaSetpriv: true,
  };
}

const SETPRIV_PATHS = ['/usr/bin/setpriv', '/bin/setpriv'];
let setprivPath: string | null | undefined;

/** util-linux's setpriv, looked up once. */
export function findSetpriv(): string | null {
  if (setprivPath === undefined) {
    setprivPath =
      SETPRIV_PATHS.find((path) => {
        try {
          accessSync(path, constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }) ?? null;
  }
  return setprivPath;
}

/** Whether /etc/passwd has an entry for `uid`. */
export function isKnownUser(uid: number): boolean {
  try {
    return readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .some((line) => line.split(':')[2] === String(uid));
  } catch {
    return false;
  }
}

/** The plan for this daemon and machine. */
export function planSpawnAs(file: string, argv: string[], ids: Ids): SpawnPlan {
  const facts: DropFacts = {
    daemonUid: process.getuid?.() ?? -1,
    setpriv: findSetpriv(),
    userKnown: ids.uid !== null && isKnownUser(ids.uid),
  };
  return planPrivilegeDrop(file, argv, ids, facts);
}

/**
 * Through setpriv a command the user may not run would fail inside setpriv (exit 126/127) and
 * crash-loop; this asks the same question first, as that user with those groups, so a start
 * fails with one clear line instead. Nothing to do when Node switches the ids itself (spawn
 * then reports EACCES).
 */
export async function checkRunnableAs(plan: SpawnPlan, command: string, cwd: string): Promise<void> {
  if (!plan.viaSetpriv) return;
  const probe = [...plan.argv.slice(0, plan.argv.indexOf('--') + 1), '/bin/sh', '-c', 'test -x "$0"', command];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(plan.file, probe, { cwd, stdio: 'ignore' });
    child.once('error', () => resolve(null));
    child.once('exit', (status) => resolve(status));
  });
  if (code !== 0)
    throw new TendError('INVALID_ARGUMENT', `cannot start ${command} in ${cwd}: not executable (EACCES) for uid ${plan.argv[1]}`);
}
