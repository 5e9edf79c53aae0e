/**
 * Formatting is done once per chunk, not per line (lines read together share a timestamp), and
 * the last result is cached because floods repeat the same millisecond.
 */
import { type DateZone, formatTimestamp } from '../core/timestamp-format.js';

export { formatTimestamp, DEFAULT_DATE_FORMAT } from '../core/timestamp-format.js';

/** A formatter that remembers its last answer (floods hit the same millisecond repeatedly). */
export function createTimestampFormatter(format: string | null, zone: DateZone = 'local'): (epochMs: number) => string {
  let lastMs = Number.NaN;
  let last = '';
  return (epochMs) => {
    if (epochMs !== lastMs) {
      last = formatTimestamp(epochMs, format, zone);
      lastMs = epochMs;
    }
    return last;
  };
}
