export type ColumnKey = 'id' | 'name' | 'status' | 'cpu' | 'cpuChart' | 'memory' | 'memoryChart' | 'restarts' | 'uptime';

export interface ColumnPlan {
  key: ColumnKey;
  header: string;
  width: number;
  align: 'left' | 'right';
}

const GAP = 1;
export const NAME_MIN = 6;
/** Names get this much before charts get any room: a readable name beats a wider chart. */
export const NAME_PREFERRED = 14;
export const NAME_MAX = 24;
export const CHART_MIN = 8;
export const CHART_MAX = 30;

const FIXED: Record<Exclude<ColumnKey, 'name' | 'cpuChart' | 'memoryChart'>, Omit<ColumnPlan, 'key'>> = {
  id: { header: 'id', width: 3, align: 'right' },
  status: { header: 'status', width: 9, align: 'left' },
  cpu: { header: 'cpu', width: 5, align: 'right' },
  memory: { header: 'mem', width: 7, align: 'right' },
  restarts: { header: '↺', width: 4, align: 'right' },
  uptime: { header: 'uptime', width: 6, align: 'right' },
};

/** Columns given up one at a time as the terminal narrows, least useful first. */
const DROP_ORDER: ReadonlyArray<readonly ColumnKey[]> = [[], ['uptime'], ['uptime', 'restarts'], ['uptime', 'restarts', 'memory'], ['uptime', 'restarts', 'memory', 'cpu']];
const ORDER: readonly ColumnKey[] = ['id', 'name', 'status', 'cpu', 'cpuChart', 'memory', 'memoryChart', 'restarts', 'uptime'];

function fixedWidth(keys: readonly ColumnKey[]): number {
  return keys.reduce((sum, key) => sum + (key in FIXED ? FIXED[key as keyof typeof FIXED].width : 0) + GAP, 0);
}

/**
 * Which columns fit `columns` characters, and how wide each is: charts go first as the
 * terminal narrows, then uptime, restarts, memory and cpu; id, name and status always stay.
 */
export function planColumns(columns: number, idDigits = 1): ColumnPlan[] {
  const idWidth = Math.max(FIXED.id.width, idDigits);
  for (const dropped of DROP_ORDER) {
    const fixedKeys = ORDER.filter((k) => k in FIXED && !dropped.includes(k));
    const fixed = fixedWidth(fixedKeys) + (idWidth - FIXED.id.width);
    let room = columns - fixed;
    if (room < NAME_MIN) continue;
    const hasCpu = fixedKeys.includes('cpu');
    const hasMemory = fixedKeys.includes('memory');
    const charts = dropped.length === 0 && hasCpu && hasMemory && room >= NAME_PREFERRED + 2 * (CHART_MIN + GAP);
    let chartWidth = 0;
    if (charts) {
      room -= 2 * GAP;
      chartWidth = Math.min(CHART_MAX, Math.floor((room - NAME_PREFERRED) / 2));
    }
    const nameWidth = Math.min(NAME_MAX, room - 2 * chartWidth);
    if (charts) chartWidth = Math.min(CHART_MAX, Math.floor((room - nameWidth) / 2));
    return ORDER.flatMap((key): ColumnPlan[] => {
      if (key === 'name') return [{ key, header: 'name', width: nameWidth, align: 'left' }];
      if (key === 'cpuChart' || key === 'memoryChart') return charts ? [{ key, header: '', width: chartWidth, align: 'left' }] : [];
      if (!fixedKeys.includes(key)) return [];
      const spec = FIXED[key as keyof typeof FIXED];
      return [{ key, ...spec, width: key === 'id' ? idWidth : spec.width }];
    });
  }
  // Narrower than id + name + status: keep those and let the line be cut at the edge.
  return [{ key: 'id', ...FIXED.id, width: idWidth }, { key: 'name', header: 'name', width: NAME_MIN, align: 'left' }, { key: 'status', ...FIXED.status }];
}

/** Total characters a row of these columns takes, gaps included. */
export function rowWidth(plan: readonly ColumnPlan[]): number {
  return plan.reduce((sum, column) => sum + column.width, 0) + Math.max(0, plan.length - 1) * GAP;
}

/** Cuts or pads text to exactly `width` characters, marking a cut with an ellipsis. */
export function fitText(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const cut = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  return align === 'left' ? cut.padEnd(width) : cut.padStart(width);
}
