/**
 * Rotation decisions as pure functions of data and `now`, so tables of cases test them.
 *
 * Naming: a rotated file is `<file>.<UTC stamp>` (plus `.gz` when compressed), e.g.
 * `api-out.log.2026-11-25T10-04-05.123Z`. The stamp is fixed-width UTC, so a plain sort of the
 * names is a sort by age and nothing ever has to be renamed in a chain (the `.1 -> .2` shuffle
 * races with compression and is where rotators lose or duplicate files). Pruning keeps the
 * `retain` newest and deletes only names that match this exact pattern, never a neighbour's
 * file that happens to share a prefix.
 */
import type { LogSpec } from '../core/app-spec.js';

export interface RotationOptions {
  /** Rotate once the file has reached this size; 0 = never by size. */
  maxSizeBytes: number;
  /** Rotated files kept per log file. */
  retain: number;
  compress: boolean;
  /** Rotate when the wall clock enters a new period of this length (UTC-aligned); 0 = off. */
  rotateIntervalMs: number;
}

export const DEFAULT_RETAIN = 10;

export const NO_ROTATION: RotationOptions = {
  maxSizeBytes: 0,
  retain: DEFAULT_RETAIN,
  compress: false,
  rotateIntervalMs: 0,
};

/**
 * App values win when set; unset (0/false) falls back to the daemon-wide defaults. `retain: 0`
 * therefore means "default" rather than "keep nothing": a rotated file is never dropped at once.
 */
export function resolveRotation(
  spec: Pick<LogSpec, 'maxSizeBytes' | 'retain' | 'compress' | 'rotateIntervalMs'>,
  defaults: Partial<RotationOptions> = {},
): RotationOptions {
  return {
    maxSizeBytes: spec.maxSizeBytes || defaults.maxSizeBytes || 0,
    retain: spec.retain || defaults.retain || DEFAULT_RETAIN,
    compress: spec.compress || defaults.compress === true,
    rotateIntervalMs: spec.rotateIntervalMs || defaults.rotateIntervalMs || 0,
  };
}

export interface FileState {
  sizeBytes: number;
  /** Wall-clock ms when the current file's period started (its creation or first write). */
  periodStartMs: number;
}

/** True when the current file should be rotated before more lines are appended. */
export function isRotationDue(options: RotationOptions, file: FileState, nowMs: number): boolean {
  if (file.sizeBytes === 0) return false;
  if (options.maxSizeBytes > 0 && file.sizeBytes >= options.maxSizeBytes) return true;
  const period = options.rotateIntervalMs;
  return period > 0 && Math.floor(nowMs / period) !== Math.floor(file.periodStartMs / period);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** `2026-11-25T10-04-05.123Z`: fixed width, sortable, no colons (safe on every filesystem). */
export function formatRotationStamp(epochMs: number): string {
  const d = new Date(epochMs);
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  const time = `${pad(d.getUTCHours(), 2)}-${pad(d.getUTCMinutes(), 2)}-${pad(d.getUTCSeconds(), 2)}`;
  return `${date}T${time}.${pad(d.getUTCMilliseconds(), 3)}Z`;
}

export function rotatedFileName(baseName: string, epochMs: number): string {
  return `${baseName}.${formatRotationStamp(epochMs)}`;
}

const STAMP = /^\.\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z(\.gz)?$/;

/** True when `name` is a rotated (maybe compressed) file of `baseName`. */
export function isRotatedFileOf(baseName: string, name: string): boolean {
  return name.startsWith(baseName) && STAMP.test(name.slice(baseName.length));
}

/** Rotated files of `baseName` among `names` beyond the `retain` newest: the ones to delete. */
export function selectFilesToPrune(baseName: string, names: readonly string[], retain: number): string[] {
  const rotated = names.filter((name) => isRotatedFileOf(baseName, name));
  // Stamps are fixed-width ASCII, so code-unit order is age order. (localeCompare would map ICU's
  // collation data into the daemon for good: 2 MiB of RSS, measured.)
  const byAgeNewestFirst = rotated.sort((a, b) => compareStrings(stampOf(b), stampOf(a)));
  return byAgeNewestFirst.slice(Math.max(0, retain));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function stampOf(name: string): string {
  return name.endsWith('.gz') ? name.slice(0, -3) : name;
}
