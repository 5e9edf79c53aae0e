import { styleText } from 'node:util';
import type { InstanceInfo } from '../core/instance-info.js';
import type { PublicStatus } from '../core/status.js';
import { TendError } from '../core/errors.js';

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

/** After the status of an instance held back by depends_on: what it waits for. */
function waitingFor(info: InstanceInfo): string {
  return info.waiting_for ? ` for ${info.waiting_for}` : '';
}

interface Column {
  head: string;
  cell: (i: InstanceInfo) => string;
}

const COLUMNS: Record<string, Column> = {
  id: { head: 'id', cell: (i) => String(i.id) },
  name: { head: 'name', cell: (i) => i.name },
  namespace: { head: 'namespace', cell: (i) => i.namespace },
  mode: { head: 'mode', cell: (i) => i.mode },
  pid: { head: 'pid', cell: (i) => String(i.pid ?? '-') },
  status: { head: 'status', cell: (i) => i.status + waitingFor(i) },
  restarts: { head: 'restarts', cell: (i) => String(i.restarts) },
  uptime: { head: 'uptime', cell: (i) => formatDuration(i.uptime_ms) },
  cpu: { head: 'cpu', cell: (i) => `${i.cpu}%` },
  memory: { head: 'memory', cell: (i) => formatBytes(i.memory) },
};

const FULL_LAYOUT = ['id', 'name', 'namespace', 'mode', 'pid', 'status', 'restarts', 'uptime', 'cpu', 'memory'];
/** Names are cut to no fewer characters than this before a column goes. */
const MIN_NAME_CHARS = 12;

export interface TableLayout {
  columns: string[];
  /** `restarts` headed `↺` to save width. */
  shortRestarts: boolean;
  /** Longest name shown; longer ones end in `…`. Infinity: whole names. */
  nameChars: number;
}

/** Width of a cli-table3 table: each cell padded by one space each side, a border between and around. */
function tableWidth(rows: readonly string[][]): number {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)) + 2);
  return widths.reduce((a, b) => a + b, 0) + widths.length + 1;
}

function cellsOf(instances: readonly InstanceInfo[], layout: TableLayout): string[][] {
  const head = layout.columns.map((c) => (c === 'restarts' && layout.shortRestarts ? '↺' : (COLUMNS[c] as Column).head));
  const body = instances.map((i) => layout.columns.map((c) => (c === 'name' ? truncate(i.name, layout.nameChars) : (COLUMNS[c] as Column).cell(i))));
  return [head, ...body];
}

/**
 * The table narrowed to fit `width` columns, as PM2 does in a small terminal: `restarts` becomes
 * `↺`, then the namespace goes (when every app is in `default` first), then the mode, then long
 * names are cut, then the pid. Pure, so it is tested with tables of cases.
 */
export function fitLayout(instances: readonly InstanceInfo[], width: number): TableLayout {
  const allDefault = instances.every((i) => i.namespace === 'default');
  const steps: Array<(l: TableLayout) => TableLayout> = [
    (l) => ({ ...l, shortRestarts: true }),
    (l) => (allDefault ? { ...l, columns: l.columns.filter((c) => c !== 'namespace') } : l),
    (l) => ({ ...l, columns: l.columns.filter((c) => c !== 'mode') }),
    (l) => ({ ...l, columns: l.columns.filter((c) => c !== 'namespace') }),
    (l) => {
      const over = tableWidth(cellsOf(instances, l)) - width;
      const longest = Math.max(...instances.map((i) => i.name.length));
      return { ...l, nameChars: Math.max(MIN_NAME_CHARS, longest - over) };
    },
    (l) => ({ ...l, columns: l.columns.filter((c) => c !== 'pid') }),
  ];
  let layout: TableLayout = { columns: FULL_LAYOUT, shortRestarts: false, nameChars: Infinity };
  for (const step of steps) {
    if (tableWidth(cellsOf(instances, layout)) <= width) return layout;
    layout = step(layout);
  }
  return layout;
}

function truncate(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, Math.max(1, chars - 1))}…`;
}

/** The process table of `list`. cli-table3 is loaded here only, with its own colours off. */
export async function renderTable(instances: readonly InstanceInfo[], width = terminalWidth()): Promise<string> {
  if (instances.length === 0) return 'No processes. Start one with `tend start <script>`.';
  const { default: Table } = await import('cli-table3');
  const layout = fitLayout(instances, width);
  const [head, ...rows] = cellsOf(instances, layout);
  const table = new Table({ head, style: { head: [], border: [] } });
  const statusColumn = layout.columns.indexOf('status');
  rows.forEach((row, r) => {
    const info = instances[r] as InstanceInfo;
    table.push(row.map((cell, c) => (c === statusColumn ? colourStatus(info.status) + waitingFor(info) : cell)));
  });
  return table.toString();
}

/** `ls -m`: one line per instance, no borders, for small screens and quick greps. */
export function renderMiniList(instances: readonly InstanceInfo[]): string {
  if (instances.length === 0) return 'No processes.';
  return instances.map((i) => `${i.id} ${i.name} ${colourStatus(i.status)}${waitingFor(i)} pid ${i.pid ?? '-'} ↺ ${i.restarts} ${formatDuration(i.uptime_ms)} ${i.cpu}% ${formatBytes(i.memory)}`).join('\n');
}

const SORT_KEYS: Record<string, (i: InstanceInfo) => number | string> = {
  id: (i) => i.id,
  name: (i) => i.name,
  namespace: (i) => i.namespace,
  pid: (i) => i.pid ?? -1,
  status: (i) => i.status,
  restarts: (i) => i.restarts,
  uptime: (i) => i.uptime_ms,
  cpu: (i) => i.cpu,
  memory: (i) => i.memory,
};

/** `ls --sort <field>[:asc|:desc]`; ties keep id order. */
export function sortInstances(instances: readonly InstanceInfo[], spec: string): InstanceInfo[] {
  const [field = '', direction = 'asc'] = spec.split(':');
  const key = Object.hasOwn(SORT_KEYS, field) ? SORT_KEYS[field] : undefined;
  if (!key || (direction !== 'asc' && direction !== 'desc')) {
    throw new TendError('INVALID_ARGUMENT', `--sort takes <field>[:asc|:desc] with a field among ${Object.keys(SORT_KEYS).join(', ')}, got "${spec}"`);
  }
  const sign = direction === 'desc' ? -1 : 1;
  return [...instances].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return (x < y ? -1 : x > y ? 1 : 0) * sign || a.id - b.id;
  });
}

/** The terminal's width when stdout is one; otherwise no limit (a pipe gets the whole table). */
function terminalWidth(): number {
  return process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : Infinity;
}
