/**
 * Durations and sizes as users write them in ecosystem files and flags. Pure, so the CLI,
 * the config resolver and tests share one reading of "10s" and "200M".
 */

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

// PM2 accepts K/M/G (binary multiples, as pm2-logrotate does); B and the "KB"/"KiB" spellings
// are accepted too because users type them.
const SIZE_UNITS_BYTES: Readonly<Record<string, number>> = {
  b: 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};

const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i;
const SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s*(?:([bkmgt])(?:i?b)?)?$/i;

/**
 * Milliseconds from a number of ms or a string like "250ms", "10s", "5m", "1h", "1d".
 * A bare numeric string is ms, as PM2 reads it. Throws a RangeError on anything else.
 */
export function parseDurationMs(value: number | string): number {
  if (typeof value === 'number') return checkNonNegative(value, value);
  const match = DURATION_PATTERN.exec(value.trim());
  if (!match) throw new RangeError(`not a duration: ${JSON.stringify(value)}`);
  const unit = (match[2] ?? 'ms').toLowerCase();
  return Math.round(Number(match[1]) * (DURATION_UNITS_MS[unit] ?? 1));
}

/**
 * Bytes from a number of bytes or a string like "200M", "10K", "1G", "512KB". Throws a
 * RangeError on anything else.
 */
export function parseSizeBytes(value: number | string): number {
  if (typeof value === 'number') return checkNonNegative(value, value);
  const match = SIZE_PATTERN.exec(value.trim());
  if (!match) throw new RangeError(`not a size: ${JSON.stringify(value)}`);
  const unit = (match[2] ?? 'b').toLowerCase();
  return Math.round(Number(match[1]) * (SIZE_UNITS_BYTES[unit] ?? 1));
}

function checkNonNegative(n: number, original: unknown): number {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`not a non-negative number: ${String(original)}`);
  return Math.round(n);
}
