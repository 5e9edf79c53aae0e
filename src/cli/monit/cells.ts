import type { InstanceInfo } from '../../core/instance-info.js';
import { STATUS_COLOUR, formatBytes, formatDuration } from '../render.js';
import type { MetricsHistory } from './history.js';
import { type ColumnPlan, fitText } from './layout.js';
import { renderCpuSparkline, renderMemorySparkline } from './sparkline.js';

/** ink's colour names; kept as strings here so this file stays free of ink and React. */
export type CellColour = 'green' | 'cyan' | 'yellow' | 'gray' | 'red' | 'blue' | 'magenta';

export interface Cell {
  text: string;
  colour?: CellColour;
}


function cellText(info: InstanceInfo, column: ColumnPlan, history: MetricsHistory): string {
  switch (column.key) {
    case 'id':
      return String(info.id);
    case 'name':
      return info.name;
    case 'status':
      return info.status;
    case 'cpu':
      return info.status === 'online' ? `${Math.round(info.cpu)}%` : '-';
    case 'memory':
      return info.status === 'online' ? formatBytes(info.memory) : '-';
    case 'restarts':
      return String(info.restarts);
    case 'uptime':
      return info.status === 'online' ? formatDuration(info.uptime_ms) : '-';
    case 'cpuChart':
      return renderCpuSparkline(history.cpu(info.id), column.width);
    case 'memoryChart':
      return renderMemorySparkline(history.memory(info.id), column.width);
  }
}

/** One process row as cells of exactly the planned widths, joined by single spaces. */
export function formatRow(info: InstanceInfo, plan: readonly ColumnPlan[], history: MetricsHistory): Cell[] {
  const cells: Cell[] = [];
  plan.forEach((column, index) => {
    const text = fitText(cellText(info, column, history), column.width, column.align);
    const colour = column.key === 'status' ? STATUS_COLOUR[info.status] : column.key === 'cpuChart' ? 'cyan' : column.key === 'memoryChart' ? 'magenta' : undefined;
    cells.push(colour ? { text, colour } : { text });
    if (index < plan.length - 1) cells.push({ text: ' ' });
  });
  return cells;
}

/** The column header line, aligned like the rows; the charts are titled by their columns. */
export function formatHeader(plan: readonly ColumnPlan[]): string {
  return plan
    .map((column) => {
      const title = column.key === 'cpuChart' ? 'cpu (1 min)' : column.key === 'memoryChart' ? 'memory (1 min)' : column.header;
      return fitText(title, column.width, column.align);
    })
    .join(' ');
}
