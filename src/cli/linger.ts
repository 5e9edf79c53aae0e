/**
 * Whether systemd keeps a user's manager (and so the user unit) running after the user logs
 * out. Without lingering the unit stops at logout and does not start at boot.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type LingerState = 'enabled' | 'disabled';

/** loginctl's answer (`Linger=yes`), else the flag file logind keeps per user. */
export function decideLinger(loginctlOutput: string | null, flagFileExists: boolean): LingerState {
  const match = loginctlOutput === null ? null : /^Linger=(yes|no)$/m.exec(loginctlOutput);
  if (match) return match[1] === 'yes' ? 'enabled' : 'disabled';
  return flagFileExists ? 'enabled' : 'disabled';
}

export const LINGER_DIR = '/var/lib/systemd/linger';

export function readLinger(user: string): LingerState {
  const result = spawnSync('loginctl', ['show-user', user, '--property=Linger'], { encoding: 'utf8' });
  const output = result.status === 0 ? result.stdout : null;
  return decideLinger(output, existsSync(join(LINGER_DIR, user)));
}

/** The exact command that turns lingering on (allowed for oneself by logind's default policy). */
export function enableLingerCommand(user: string): string {
  return `loginctl enable-linger ${user}`;
}
