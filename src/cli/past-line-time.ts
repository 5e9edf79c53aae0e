/** Reading the time a log file kept for each past line (`logs --json`, the monit log pane). */

const LEADING_ISO_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)/;

/**
 * When a past line was written, as ISO 8601, from what the file kept: the `time` prefix or a
 * `log_type: json` line's `time`; null when the file kept no time (files store no metadata).
 */
export function timeOfPastLine(line: string): string | null {
  const prefix = LEADING_ISO_TIME.exec(line)?.[1];
  if (prefix !== undefined) return new Date(prefix).toISOString();
  if (line.startsWith('{')) {
    try {
      const time = (JSON.parse(line) as { time?: unknown }).time;
      if (typeof time === 'string' && !Number.isNaN(Date.parse(time))) return new Date(time).toISOString();
    } catch {
      // Not a JSON line after all.
    }
  }
  return null;
}

/**
 * One stream of past lines from an instance's two files, in time order when every line kept
 * its time (`time`, `log_date_format`, `log_type: json`); otherwise stdout's lines, then
 * stderr's: files keep nothing else to order them by.
 */
export function mergePastLines(out: readonly string[], err: readonly string[]): Array<{ stream: 'out' | 'err'; line: string }> {
  const tagged = [...out.map((line) => ({ stream: 'out' as const, line })), ...err.map((line) => ({ stream: 'err' as const, line }))];
  const times = tagged.map((entry) => timeOfPastLine(entry.line));
  if (times.some((t) => t === null)) return tagged;
  // Array#sort is stable: lines of one stream with the same time keep their order.
  return tagged
    .map((entry, i) => ({ entry, at: Date.parse(times[i] as string) }))
    .sort((a, b) => a.at - b.at)
    .map((x) => x.entry);
}
