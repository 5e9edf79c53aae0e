import { readFileSync } from 'node:fs';

/** Cumulative CPU time of the whole host, summed over all cores, in clock ticks. */
export interface HostCpuTimes {
  busyTicks: number;
  totalTicks: number;
}

export interface HostMemory {
  totalBytes: number;
  /** The kernel's estimate of memory available without swapping (MemAvailable). */
  availableBytes: number;
}

/**
 * Parses the aggregate `cpu` line of /proc/stat. Idle and iowait count as not busy; guest time
 * is left out of the total because the kernel already counts it inside user and nice.
 */
export function parseHostCpu(procStatText: string): HostCpuTimes | null {
  const end = procStatText.indexOf('\n');
  const line = end < 0 ? procStatText : procStatText.slice(0, end);
  if (!line.startsWith('cpu ')) return null;
  const values = line.slice(4).trim().split(/\s+/).map(Number);
  if (values.length < 4 || values.some((v) => !Number.isFinite(v))) return null;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = values;
  const busyTicks = user + nice + system + irq + softirq + steal;
  return { busyTicks, totalTicks: busyTicks + idle + iowait };
}

/** Parses MemTotal and MemAvailable out of /proc/meminfo (reported there in KiB). */
export function parseMeminfo(text: string): HostMemory | null {
  const total = /^MemTotal:\s+(\d+) kB/m.exec(text);
  const available = /^MemAvailable:\s+(\d+) kB/m.exec(text);
  if (!total?.[1] || !available?.[1]) return null;
  return { totalBytes: Number(total[1]) * 1024, availableBytes: Number(available[1]) * 1024 };
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return null;
  }
}

export function readHostCpu(procRoot = '/proc'): HostCpuTimes | null {
  const text = readText(`${procRoot}/stat`);
  return text === null ? null : parseHostCpu(text);
}

export function readHostMemory(procRoot = '/proc'): HostMemory | null {
  const text = readText(`${procRoot}/meminfo`);
  return text === null ? null : parseMeminfo(text);
}

/** Seconds since boot (first field of /proc/uptime), the time base of a process's start time. */
export function readUptimeSeconds(procRoot = '/proc'): number | null {
  const text = readText(`${procRoot}/uptime`);
  const seconds = text === null ? Number.NaN : Number.parseFloat(text);
  return Number.isFinite(seconds) ? seconds : null;
}

/** Busy share of the host between two readings, 0-100 (100 = every core busy). */
export function hostCpuPercent(previous: HostCpuTimes, current: HostCpuTimes): number {
  const total = current.totalTicks - previous.totalTicks;
  const busy = current.busyTicks - previous.busyTicks;
  if (total <= 0 || busy <= 0) return 0;
  return Math.min(100, (busy / total) * 100);
}
