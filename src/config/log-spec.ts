/**
 * Log file paths and rotation settings. Paths are single-instance paths: with several
 * instances and mergeLogs false the log module inserts `-<id>` before `.log`.
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { LogSpec } from '../core/app-spec.js';
import type { ParsedOptions } from './option-table.js';

export const DEFAULT_LOG_RETAIN = 30;

/** Names may hold ':' (name_prefix), '/' or spaces (shell commands); file names may not. */
export function logFileStem(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'app';
}

export function buildLogSpec(options: ParsedOptions, name: string, cwd: string, tendHome: string, instances = 1): LogSpec {
  const logsDir = join(tendHome, 'logs');
  const stem = logFileStem(name);
  const disabled = options.disable_logs === true;
  const place = (given: string | null | undefined, fallback: string): string | null => {
    if (disabled || given === null) return null;
    if (given === undefined) return join(logsDir, fallback);
    return isAbsolute(given) ? given : resolve(cwd, given);
  };
  let combinedFile: string | null = null;
  const logFile = options.log_file;
  if (!disabled && logFile === true) combinedFile = join(logsDir, `${stem}.log`);
  else if (!disabled && typeof logFile === 'string') combinedFile = place(logFile, `${stem}.log`);
  return {
    outFile: place(options.out_file, `${stem}-out.log`),
    errorFile: place(options.error_file, `${stem}-error.log`),
    combinedFile,
    mergeLogs: options.merge_logs ?? false,
    perInstanceFiles: instances > 1,
    // PM2 prefixes timestamps whenever a date format is given.
    time: options.time ?? options.log_date_format !== undefined,
    dateFormat: options.log_date_format ?? null,
    dateZone: options.log_date_zone ?? 'local',
    logType: options.log_type ?? 'raw',
    maxSizeBytes: options.max_size ?? 0,
    retain: options.retain ?? DEFAULT_LOG_RETAIN,
    compress: options.compress ?? false,
    rotateIntervalMs: options.rotate_interval ?? 0,
  };
}
