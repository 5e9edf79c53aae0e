/** One row of the `npm run chaos` table, and what every scenario measures a daemon with. */
import { readFileSync, readdirSync } from 'node:fs';

export interface Outcome {
  scenario: string;
  promise: string;
  result: 'held' | 'BROKEN' | 'skipped' | 'result';
  figures: string;
}

export function verdict(held: boolean): Outcome['result'] {
  return held ? 'held' : 'BROKEN';
}

export function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

export function rssMiB(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** A duration from the environment (for a longer or shorter run), else `fallback`. */
export function envMs(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
