/** Eight heights, lowest first; a missing point is a blank so a young history reads as "not yet". */
export const SPARK_LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * The last `width` values as a sparkline, right-aligned (newest on the right, blanks on the
 * left while the history is shorter than the chart). Values are scaled against `ceiling`, or
 * against the largest value shown when no ceiling is given (memory has no natural top), so
 * an idle app draws a flat floor rather than noise blown up to full height.
 */
export function renderSparkline(values: readonly number[], width: number, ceiling?: number): string {
  if (width <= 0) return '';
  const shown = values.slice(-width);
  const finite = shown.map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
  const top = Math.max(ceiling ?? 0, ...finite);
  const maxLevel = SPARK_LEVELS.length - 1;
  const bars = finite.map((v) => {
    if (top <= 0) return SPARK_LEVELS[0];
    const level = Math.min(maxLevel, Math.round((v / top) * maxLevel));
    return SPARK_LEVELS[level];
  });
  return ' '.repeat(width - bars.length) + bars.join('');
}

/** CPU is a percent of one core; a multi-threaded tree may pass 100, so the scale grows with it. */
export function renderCpuSparkline(cpuPercents: readonly number[], width: number): string {
  return renderSparkline(cpuPercents, width, 100);
}

/** Memory is scaled to its own peak in the window, so growth and leaks stand out. */
export function renderMemorySparkline(memoryBytes: readonly number[], width: number): string {
  return renderSparkline(memoryBytes, width);
}
