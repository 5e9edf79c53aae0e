// Loaded only through `await import()` from the monit command, so ink and React (about 380 ms
// and 44 MB) cost nothing on every other verb. Written with createElement, not JSX, so the
// project's tsconfig can keep whatever JSX factory the web UI needs.
import { Box, Text, useInput } from 'ink';
import { createElement as h, type ReactElement } from 'react';
import type { InstanceInfo } from '../../core/instance-info.js';
import { type Cell, formatHeader, formatRow } from './cells.js';
import type { MetricsHistory } from './history.js';
import { helpLine, keyActions, type MonitAction } from './keys.js';
import { planColumns } from './layout.js';
import type { LogEntry } from './log-buffer.js';
import { planRows } from './rows-plan.js';

export interface Notice {
  text: string;
  colour: 'green' | 'yellow' | 'red';
}

export interface DashboardView {
  columns: number;
  rows: number;
  title: string;
  instances: readonly InstanceInfo[];
  selectedIndex: number;
  /** First list row shown; the list scrolls to keep the selection visible. */
  offset: number;
  history: MetricsHistory;
  /** The selected instance's recent lines, oldest first (more than fit; the last ones are shown). */
  logs: readonly LogEntry[];
  notice: Notice | null;
}

export interface DashboardProps {
  view: DashboardView;
  onAction: (action: MonitAction) => void;
}

function line(key: string, ...children: Array<ReactElement | string>): ReactElement {
  return h(Text, { key, wrap: 'truncate' }, ...children);
}

function cellsOf(cells: readonly Cell[]): ReactElement[] {
  return cells.map((cell, index) => h(Text, { key: String(index), color: cell.colour }, cell.text));
}

function ruler(title: string, columns: number): string {
  const head = `── ${title} `;
  return head.length >= columns ? head.slice(0, columns) : head + '─'.repeat(columns - head.length);
}

/** The whole frame, one ink line per terminal line, never taller than rows - 1. */
export function Dashboard({ view, onAction }: DashboardProps): ReactElement {
  useInput((input, key) => {
    for (const action of keyActions(input, key)) onAction(action);
  });
  const width = Math.max(1, view.columns);
  const plan = planColumns(width, String(Math.max(0, ...view.instances.map((i) => i.id))).length);
  const rows = planRows(view.rows, view.instances.length);
  const lines: ReactElement[] = [];
  const notice = view.notice ? h(Text, { key: 'n', color: view.notice.colour }, `  ${view.notice.text}`) : '';
  lines.push(line('title', h(Text, { key: 't', bold: true }, view.title), notice));
  lines.push(line('header', h(Text, { key: 'h', dimColor: true }, formatHeader(plan))));
  const shown = view.instances.slice(view.offset, view.offset + rows.listRows);
  if (view.instances.length === 0) lines.push(line('empty', 'No processes. Start one with `tend start <script>`.'));
  shown.forEach((info, index) => {
    const selected = view.offset + index === view.selectedIndex;
    lines.push(h(Text, { key: `row-${info.id}`, wrap: 'truncate', inverse: selected }, ...cellsOf(formatRow(info, plan, view.history))));
  });
  if (rows.logRows > 0) {
    const chosen = view.instances[view.selectedIndex];
    const title = chosen ? `logs: ${chosen.name} (id ${chosen.id})` : 'logs';
    lines.push(line('log-title', h(Text, { key: 'r', dimColor: true }, ruler(title, width))));
    const logs = view.logs.slice(-rows.logRows);
    logs.forEach((entry, index) => lines.push(h(Text, { key: `log-${index}`, wrap: 'truncate', color: entry.stream === 'err' ? 'red' : undefined }, entry.line || ' ')));
    for (let pad = logs.length; pad < rows.logRows; pad++) lines.push(line(`pad-${pad}`, ' '));
  }
  lines.push(line('help', h(Text, { key: 'k', dimColor: true }, helpLine(width))));
  return h(Box, { flexDirection: 'column', width }, ...lines.slice(0, rows.frameLines));
}
