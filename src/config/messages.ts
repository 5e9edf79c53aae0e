/**
 * One-line messages naming where a problem is: the file (or "command line"), the app and the
 * option, e.g. `ecosystem.config.js: apps[1] "api": instances must be ..., got "lots"`.
 */
import { TendError } from '../core/errors.js';

export const COMMAND_LINE = 'command line';

/** Where an app came from, for messages. */
export interface AppLocation {
  source: string;
  /** Position in the file's apps list; null for the command line's single app. */
  index: number | null;
  name?: string;
}

export function describeLocation(at: AppLocation): string {
  const app = at.index === null ? '' : ` apps[${at.index}]`;
  const name = at.name === undefined ? '' : ` "${at.name}"`;
  return app === '' && name === '' ? `${at.source}:` : `${at.source}:${app}${name}:`;
}

/** A config error: INVALID_ARGUMENT for flags, CONFIG_INVALID for files. */
export function configError(at: AppLocation, message: string, cause?: unknown): TendError {
  const code = at.source === COMMAND_LINE ? 'INVALID_ARGUMENT' : 'CONFIG_INVALID';
  return new TendError(code, `${describeLocation(at)} ${message}`, { cause });
}

/** A short rendering of a user value: strings quoted, long structures cut. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
