/** Highest value of each cron field, for 5 fields (minute first) or 6 (seconds first). */
const FIELD_MAX_5 = [59, 23, 31, 12, 6];
const FIELD_MAX_6 = [59, ...FIELD_MAX_5];

/**
 * `1/3` means "from 1, every 3" in PM2's cron parser; croner only takes `*\/3` or `1-23/3`.
 * Rewrites a numeric-prefix step into the range croner accepts, field by field; any other
 * pattern is returned unchanged.
 */
export function normalizeCronSteps(pattern: string): string {
  const fields = pattern.trim().split(/\s+/);
  const maxes = fields.length === 6 ? FIELD_MAX_6 : fields.length === 5 ? FIELD_MAX_5 : null;
  if (maxes === null) return pattern;
  return fields
    .map((field, i) =>
      field
        .split(',')
        .map((part) => part.replace(/^(\d+)\/(\d+)$/, (_, start: string, step: string) => `${start}-${maxes[i]}/${step}`))
        .join(','),
    )
    .join(' ');
}
