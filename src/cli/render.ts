import { styleText } from 'node:util';
import type { InstanceInfo } from '../core/instance-info.js';
import type { PublicStatus } from '../core/status.js';

export function formatBytes(bytes: number): string {
  if (bytes <= 0) return '0b';
  const units = ['b', 'kb', 'mb', 'gb', 'tb'];
  const exponent = Math.min(Math.floor(Math.log(bytes) / Math.log(1024)), units.length - 1);
  const value = bytes / 1024 ** exponent;
  return `${value >= 10 || exponent === 0 ? Math.round(value) : value.toFixed(1)}${units[exponent]}`;
}

export function formatDuration(ms: number): string {
  if (ms <= 0) return '0';
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h`;
  return `${Math.floor(hours / 24)}D`;
}

/** Colour names both util.styleText (list) and ink (monit) understand. */
export type StatusColour = 'green' | 'cyan' | 'yellow' | 'gray' | 'red';

export const STATUS_COLOUR: Record<PublicStatus, StatusColour> = {
  online: 'green',
  launching: 'cyan',
  stopping: 'yellow',
  stopped: 'gray',
  waiting: 'yellow',
  errored: 'red',
};

export function colourStatus(status: PublicStatus, stream: NodeJS.WriteStream = process.stdout): string {
  return stream.isTTY && !process.env.NO_COLOR ? styleText(STATUS_COLOUR[status], status) : status;
}

/** The process table of `list`. cli-table3 is loaded here only, with its own colours off. */
export async function renderTable(instances: readonly InstanceInfo[]): Promise<string> {
  if (instances.length === 0) return 'No processes. Start one with `tend start <script>`.';
  const { default: Table } = await import('cli-table3');
  const table = new Table({
    head: ['id', 'name', 'namespace', 'mode', 'pid', 'status', 'restarts', 'uptime', 'cpu', 'memory'],
    style: { head: [], border: [] },
  });
  for (const i of instances) {
    table.push([
      i.id,
      i.name,
      i.namespace,
      i.mode,
      i.pid ?? '-',
      colourStatus(i.status),
      i.restarts,
      formatDuration(i.uptime_ms),
      `${i.cpu}%`,
      formatBytes(i.memory),
    ]);
  }
  return table.toString();
}
