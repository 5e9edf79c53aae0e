/**
 * `tend startup --user`: a systemd user unit, no root needed. The user's manager starts it at
 * login, or at boot when lingering is on; without lingering it also stops at logout, which is
 * what surprises people (PM2 issue 2750), so the command checks and prints the fix.
 */
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { TendError } from '../../core/errors.js';
import { enableLingerCommand, readLinger } from '../linger.js';
import { printLine } from '../output.js';
import { renderSystemdUnit } from '../systemd-unit.js';
import { systemctl, unitInput } from '../systemd-tools.js';

export interface UserUnitFlags {
  u?: string;
  hp?: string;
  serviceName?: string;
  print?: boolean;
}

/** `--user` acts for the caller only: -u and --hp belong to system units. */
export function checkUserFlags(platform: string, flags: UserUnitFlags): UserUnitFlags {
  if (platform !== 'systemd') {
    throw new TendError('INVALID_ARGUMENT', `--user takes no value (got "${platform}"): it writes your own user unit; use -u <user> for a system unit run as another user`);
  }
  if (flags.u !== undefined || flags.hp !== undefined) throw new TendError('INVALID_ARGUMENT', '--user writes your own unit; -u and --hp are for system units (as root)');
  return flags;
}

/** $XDG_CONFIG_HOME/systemd/user, or ~/.config/systemd/user. */
export function userUnitDir(env: NodeJS.ProcessEnv = process.env): string {
  const config = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(config, 'systemd', 'user');
}

function unitName(flags: UserUnitFlags): string {
  const name = flags.serviceName ?? 'tend';
  if (!/^[\w@.:-]+$/.test(name)) throw new TendError('INVALID_ARGUMENT', `--service-name "${name}" has characters systemd does not allow`);
  return name;
}

export async function startupUser(flags: UserUnitFlags): Promise<void> {
  const user = userInfo().username;
  const name = unitName(flags);
  const unit = renderSystemdUnit(await unitInput('user', user, homedir()));
  if (flags.print) return void process.stdout.write(unit);
  const dir = userUnitDir();
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.service`);
  writeFileSync(file, unit, { mode: 0o644 });
  printLine(`wrote ${file}`);
  systemctl(['--user', 'daemon-reload'], ['--user', 'enable', name]);
  if (readLinger(user) === 'enabled') printLine(`lingering is enabled for ${user}: the unit starts at boot and keeps running after logout`);
  else {
    printLine(`lingering is off for ${user}: the unit starts at login and stops at logout. To keep it running, run:`);
    printLine(enableLingerCommand(user));
  }
  printLine('run `tend save` to choose the apps brought back at boot');
}

export function unstartupUser(flags: UserUnitFlags): void {
  const name = unitName(flags);
  const file = join(userUnitDir(), `${name}.service`);
  systemctl(['--user', 'disable', name]);
  rmSync(file, { force: true });
  systemctl(['--user', 'daemon-reload']);
  printLine(`removed ${file}`);
}
