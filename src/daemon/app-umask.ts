import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The umask every app starts with (apps inherit the daemon's): 022, whatever the shell that
 * happened to start the daemon had, unless TEND_HOME/config.json sets `"umask": "027"`
 * (octal, as a string, or a number). Files tend makes itself are 0600/0700 regardless.
 */
export const DEFAULT_APP_UMASK = 0o022;

export function readAppUmask(home: string): number {
  let text: string;
  try {
    text = readFileSync(join(home, 'config.json'), 'utf8');
  } catch {
    return DEFAULT_APP_UMASK;
  }
  const value = (JSON.parse(text) as { umask?: unknown } | null)?.umask;
  if (value === undefined) return DEFAULT_APP_UMASK;
  const mask = typeof value === 'string' && /^0?[0-7]{3}$/.test(value) ? Number.parseInt(value, 8) : typeof value === 'number' ? value : NaN;
  if (!Number.isInteger(mask) || mask < 0 || mask > 0o777) throw new RangeError(`config.json umask must be an octal string like "027", got ${JSON.stringify(value)}`);
  return mask;
}
