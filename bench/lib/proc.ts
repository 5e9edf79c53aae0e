import { readFileSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';

/** Kernel clock ticks per second for utime/stime in /proc/<pid>/stat; 100 on every Linux we run on. */
const CLOCK_TICKS_PER_S = 100;

/** Resident set size of one process, in bytes, or null when it is gone. */
export function readRssBytes(pid: number): number | null {
  return readStatusKb(pid, 'VmRSS');
}

/** Peak resident set size since the process started (VmHWM), in bytes. */
export function readPeakRssBytes(pid: number): number | null {
  return readStatusKb(pid, 'VmHWM');
}

function readStatusKb(pid: number, field: string): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match?.[1] === undefined ? null : Number(match[1]) * 1024;
  } catch {
    return null;
  }
}

/** CPU time (user + system) one process has used so far, in milliseconds. */
export function readCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

let gateShell: string | undefined;
/**
 * True when `pid` runs a program of its own: alive, and no longer the /bin/sh start gate tend
 * spawns fork-mode apps behind (the gate execs the app in the same pid once released).
 */
export function isRunningProgram(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    gateShell ??= realpathSync('/bin/sh');
    return readlinkSync(`/proc/${pid}/exe`) !== gateShell;
  } catch {
    return false;
  }
}

/** Pids whose environment holds exactly `variable=value` (how a bench finds what its home started). */
export function findPidsWithEnv(variable: string, value: string): number[] {
  const marker = `${variable}=${value}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker) && isAlive(pid)) pids.push(pid);
    } catch {
      // Gone, or another user's process.
    }
  }
  return pids;
}

export function killQuietly(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
