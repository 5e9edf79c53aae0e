import { TendError } from '../core/errors.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * A cron pattern (5 fields, or 6 with seconds first) as a systemd OnCalendar= expression.
 * Fields: `*`, numbers, lists, ranges and `*\/n` or `a/n` steps; day of month and day of week
 * together mean "both" in systemd but "either" in cron, so only one of them may be restricted.
 */
export function cronToOnCalendar(pattern: string): string {
  const fields = pattern.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) throw unsupported(pattern, 'expected 5 or 6 fields');
  const [second, minute, hour, dom, month, dow] = fields.length === 6 ? fields : ['0', ...fields];
  if (dom !== '*' && dow !== '*') throw unsupported(pattern, 'day of month and day of week both restricted');
  const days = dow === '*' ? '' : `${weekdays(dow!, pattern)} `;
  const f = (value: string) => field(value, pattern);
  return `${days}*-${f(month!)}-${f(dom!)} ${f(hour!)}:${f(minute!)}:${f(second!)}`;
}

function field(value: string, pattern: string): string {
  return value
    .split(',')
    .map((part) => {
      const step = /^(\*|\d+)\/(\d+)$/.exec(part);
      if (step) return `${step[1] === '*' ? '0' : step[1]}/${step[2]}`;
      const range = /^(\d+)-(\d+)$/.exec(part);
      if (range) return `${range[1]}..${range[2]}`;
      if (part === '*' || /^\d+$/.test(part)) return part;
      throw unsupported(pattern, `"${part}"`);
    })
    .join(',');
}

function weekdays(value: string, pattern: string): string {
  const day = (n: string) => {
    const name = DAYS[Number(n) % 7];
    if (!/^\d+$/.test(n) || name === undefined) throw unsupported(pattern, `day of week "${n}"`);
    return name;
  };
  return value
    .split(',')
    .map((part) => (part.includes('-') ? part.split('-').map(day).join('..') : day(part)))
    .join(',');
}

function unsupported(pattern: string, why: string): TendError {
  return new TendError('INVALID_ARGUMENT', `cron_restart "${pattern}" has no systemd OnCalendar= form (${why})`);
}
