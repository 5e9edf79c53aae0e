/**
 * The daemon's own log: one JSON object per line (`{time, level, msg, ...fields}`), written
 * through the same FileWriter as app logs, so it is bounded, never blocks the daemon for long, and
 * rotates like them (PM2's pm2.log is never rotated and grows for ever).
 */
import { systemClock, type Clock } from '../core/clock.js';
import { formatUtcIso } from '../core/utc-iso.js';
import { FileWriter } from './file-writer.js';
import { createLineCounter, type LineCounter } from './line-counter.js';
import { resolveRotation, type RotationOptions } from './rotation-policy.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface DaemonLogger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Lines written and dropped so far (the daemon log is subject to the same limits). */
  stats(): LineCounter;
  /** Opens the file again at its path (after an external logrotate, or TEND_HOME re-created). */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

export interface DaemonLoggerOptions extends Partial<RotationOptions> {
  /** Lowest level written; default 'info'. */
  level?: LogLevel;
  clock?: Clock;
}

export function createDaemonLogger(file: string, options: DaemonLoggerOptions = {}): DaemonLogger {
  const clock = options.clock ?? systemClock;
  const rotation = resolveRotation({ maxSizeBytes: 0, retain: 0, compress: false, rotateIntervalMs: 0 }, options);
  const writer = new FileWriter(file, { rotation, clock });
  const counter = createLineCounter();
  const minimum = LEVEL_RANK[options.level ?? 'info'];
  const log = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    if (LEVEL_RANK[level] < minimum) return;
    const line = serializeRecord(formatUtcIso(clock.wallMs()), level, msg, fields);
    const data = Buffer.from(line + '\n', 'utf8');
    writer.enqueue({ parts: [data], bytes: data.length, counter });
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    stats: () => ({ ...counter }),
    reopen: () => writer.reopen(),
    close: () => writer.close(),
  };
}

/** Field values that cannot be serialised (cycles, BigInt) must not lose the record. */
export function serializeRecord(time: string, level: LogLevel, msg: string, fields: LogFields = {}): string {
  const record: LogFields = { time, level, msg };
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'time' || key === 'level' || key === 'msg') continue;
    record[key] = value instanceof Error ? serializeError(value) : value;
  }
  try {
    return JSON.stringify(record, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  } catch (error) {
    return JSON.stringify({ time, level, msg, fieldsError: String(error) });
  }
}

function serializeError(error: Error): { message: string; stack?: string; code?: string } {
  const code = (error as NodeJS.ErrnoException).code;
  return {
    message: error.message,
    ...(error.stack !== undefined ? { stack: error.stack } : {}),
    ...(code !== undefined ? { code } : {}),
  };
}
