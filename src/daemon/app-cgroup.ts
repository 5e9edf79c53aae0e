/**
 * One cgroup v2 per fork-mode instance, where the daemon may create them (root, or a user
 * whose cgroup was delegated): a child that clears its environment, leaves the process group
 * and double-forks leaves no trace in /proc that ties it to its app, but it stays in the app's
 * cgroup, so the stop and its leftover check find it there. Under the daemon's own cgroup,
 * `tend-<hash of TEND_HOME>/<holder folder name>`: a later daemon finds an adopted instance's
 * cgroup from its holder, with nothing more in the state file. Without cgroup v2, or without
 * the right to write there, nothing changes: the process tree, the group and the environment
 * marker are what a stop has (README, "Escaping processes").
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, mkdirSync, readFileSync, readdirSync, rmdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

let parent: string | null = null;

/** Where the cgroup2 hierarchy is mounted and this process's cgroup in it, or null. */
export function ownCgroupDir(mounts: string, selfCgroup: string): string | null {
  const mount = mounts
    .split('\n')
    .map((line) => line.split(' '))
    .find((fields) => fields[2] === 'cgroup2')?.[1];
  const path = /^0::(\/.*)$/m.exec(selfCgroup)?.[1];
  if (mount === undefined || path === undefined) return null;
  return path === '/' ? mount : join(mount, path);
}

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/**
 * Makes this home's cgroup folder when the machine allows it, and removes the empty instance
 * cgroups a previous daemon left. Returns the folder, or null (then every other call is a no-op).
 */
export function setUpAppCgroups(home: string): string | null {
  parent = null;
  const base = ownCgroupDir(readOr('/proc/self/mounts', ''), readOr('/proc/self/cgroup', ''));
  if (base === null) return null;
  const dir = appCgroupsDirOf(base, home);
  try {
    // Moving a process needs write access to the cgroup it leaves as well as the one it joins.
    accessSync(join(base, 'cgroup.procs'), constants.W_OK);
    mkdirSync(dir, { recursive: true });
    accessSync(join(dir, 'cgroup.procs'), constants.W_OK);
  } catch {
    return null;
  }
  parent = dir;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeAppCgroup(entry.name);
  }
  return dir;
}

/** This home's cgroup folder under `base`. */
export function appCgroupsDirOf(base: string, home: string): string {
  return join(base, `tend-${createHash('sha256').update(home).digest('hex').slice(0, 12)}`);
}

/** Removes this home's cgroup folder when no instance cgroup is left in it (daemon shutdown). */
export function releaseAppCgroups(): void {
  if (parent === null) return;
  try {
    rmdirSync(parent);
  } catch {
    // An instance still runs (apps kept for the next daemon).
  }
}

function cgroupDirOf(holderDir: string): string | null {
  return parent === null ? null : join(parent, basename(holderDir));
}

/**
 * Puts `pid` (waiting at its start gate, so before it runs any code) in its instance's cgroup.
 * Off the event loop: the kernel takes a few ms to move a process between cgroups (it waits for
 * an RCU grace period), which held the daemon ~3.5 ms per app during a 1,000-app start.
 */
export async function enterAppCgroup(holderDir: string, pid: number): Promise<void> {
  const dir = cgroupDirOf(holderDir);
  if (dir === null) return;
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'cgroup.procs'), String(pid));
  } catch {
    // The app runs without one; the tree, group and marker still find its children.
    removeAppCgroup(holderDir);
  }
}

/** The pids in the instance's cgroup (empty when it has none). */
export function appCgroupMembers(holderDir: string): number[] {
  const dir = cgroupDirOf(holderDir);
  if (dir === null) return [];
  return readOr(join(dir, 'cgroup.procs'), '')
    .split('\n')
    .filter((line) => line !== '')
    .map(Number);
}

/** Removes the instance's cgroup if it is empty. */
export function removeAppCgroup(holderDir: string): void {
  const dir = cgroupDirOf(holderDir);
  if (dir === null) return;
  try {
    rmdirSync(dir);
  } catch {
    // Not empty, or already gone.
  }
}
