/**
 * Timestamps for log lines, in core because the daemon's files and `tend logs --timestamp` share
 * them (the CLI may import only core and api). The default is ISO 8601 in local time with the
 * UTC offset and milliseconds (`2026-11-25T10:04:05.123+01:00`): people read local time, and the offset keeps
 * it unambiguous across DST changes and for machines in other zones.
 *
 * A custom format uses the tokens YYYY MM DD HH mm ss SSS Z (Z = `+01:00`); anything else is
 * copied as is.
 */
const TOKEN = /YYYY|MM|DD|HH|mm|ss|SSS|Z/g;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function formatOffset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}

/** `log_date_zone`: local time with its offset (default), or UTC (offset `Z`). */
export type DateZone = 'local' | 'utc';

function tokenValue(token: string, date: Date, utc: boolean): string {
  switch (token) {
    case 'YYYY':
      return pad(utc ? date.getUTCFullYear() : date.getFullYear(), 4);
    case 'MM':
      return pad((utc ? date.getUTCMonth() : date.getMonth()) + 1, 2);
    case 'DD':
      return pad(utc ? date.getUTCDate() : date.getDate(), 2);
    case 'HH':
      return pad(utc ? date.getUTCHours() : date.getHours(), 2);
    case 'mm':
      return pad(utc ? date.getUTCMinutes() : date.getMinutes(), 2);
    case 'ss':
      return pad(utc ? date.getUTCSeconds() : date.getSeconds(), 2);
    case 'SSS':
      return pad(date.getMilliseconds(), 3);
    default:
      return utc ? 'Z' : formatOffset(date);
  }
}

export const DEFAULT_DATE_FORMAT = 'YYYY-MM-DDTHH:mm:ss.SSSZ';

/** Formats epoch milliseconds with `format` (null = the ISO 8601 default), in `zone`. */
export function formatTimestamp(epochMs: number, format: string | null, zone: DateZone = 'local'): string {
  const date = new Date(epochMs);
  return (format ?? DEFAULT_DATE_FORMAT).replace(TOKEN, (token) => tokenValue(token, date, zone === 'utc'));
}
