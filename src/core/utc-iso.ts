/**
 * `Date#toISOString` without ICU. V8 11 (Node 20) looks up the local time zone inside
 * toISOString although its result is UTC, which maps ICU's time-zone code and data into the
 * process: 0.8 MiB of the daemon's RSS from its first log line on (measured). The UTC getters
 * need no time zone.
 */
export function formatUtcIso(epochMs: number): string {
  const d = new Date(epochMs);
  const year = d.getUTCFullYear();
  // Extended years (+YYYYYY) and invalid dates: the built-in's format and errors.
  if (!(year >= 0 && year <= 9999)) return d.toISOString();
  return `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}Z`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
