import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { distPath } from '../../api/dist-path.js';
import { TendError } from '../../core/errors.js';
import { printLine } from '../output.js';
import { renderSystemdUnit } from '../systemd-unit.js';
import { systemctl, unitInput } from '../systemd-tools.js';
import { checkUserFlags, startupUser, unstartupUser } from './startup-user.js';

const UNIT_DIR = '/etc/systemd/system';

interface StartupFlags {
  /** -u: the user a system unit runs as. */
  u?: string;
  /** --user: a user unit instead (systemctl --user). */
  user?: boolean;
  hp?: string;
  serviceName?: string;
  print?: boolean;
}

export function registerStartup(program: Command): void {
  const withFlags = (command: Command): Command =>
    command
      .argument('[platform]', 'init system (only systemd)', 'systemd')
      .option('-u <user>', 'user the daemon runs as (default: $SUDO_USER or you)')
      .option('--user', 'a systemd user unit in ~/.config/systemd/user (no root needed)')
      .option('--hp <home>', "that user's home folder (TEND_HOME is <home>/.tend unless $TEND_HOME is set)")
      .option('--service-name <name>', 'unit name (default: tend-<user>)');
  withFlags(program.command('startup'))
    .option('--print', 'print the unit instead of installing it')
    .description('start the daemon at boot with systemd and resurrect the saved list (tend save)')
    .action((platform: string, flags: StartupFlags) => (flags.user ? startupUser(checkUserFlags(platform, flags)) : startup(platform, flags)));
  withFlags(program.command('unstartup'))
    .description('remove the systemd unit written by tend startup')
    .action((platform: string, flags: StartupFlags) => (flags.user ? unstartupUser(checkUserFlags(platform, flags)) : unstartup(platform, flags)));
}

function resolveTarget(platform: string, flags: StartupFlags) {
  if (platform !== 'systemd') throw new TendError('INVALID_ARGUMENT', `only systemd is supported, got "${platform}"`);
  const user = flags.u ?? process.env.SUDO_USER ?? userInfo().username;
  const home = flags.hp ?? homeOf(user);
  const name = flags.serviceName ?? `tend-${user}`;
  if (!/^[\w@.:-]+$/.test(name)) throw new TendError('INVALID_ARGUMENT', `--service-name "${name}" has characters systemd does not allow`);
  return { user, home, name, file: join(UNIT_DIR, `${name}.service`) };
}

/** From /etc/passwd, so `sudo tend startup -u alice` finds alice's home, not root's. */
function homeOf(user: string): string {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.split(':')[0] === user);
  const home = line?.split(':')[5];
  if (!home) throw new TendError('INVALID_ARGUMENT', `no user "${user}" in /etc/passwd; pass --hp <home>`);
  return home;
}

/** The exact command a non-root user runs to do the same as root. */
function sudoLine(verb: string, target: { user: string; home: string; name: string }): string {
  const path = `${process.env.PATH ?? ''}`;
  return `sudo env PATH=${JSON.stringify(path)} ${process.execPath} ${distPath('bin/tend.js')} ${verb} systemd -u ${target.user} --hp ${JSON.stringify(target.home)} --service-name ${target.name}`;
}

async function startup(platform: string, flags: StartupFlags): Promise<void> {
  const target = resolveTarget(platform, flags);
  const unit = renderSystemdUnit(await unitInput('system', target.user, target.home));
  if (flags.print) return void process.stdout.write(unit);
  if (process.getuid?.() !== 0) {
    printLine('To start tend at boot, run as root:');
    return printLine(sudoLine('startup', target));
  }
  writeFileSync(target.file, unit, { mode: 0o644 });
  printLine(`wrote ${target.file}`);
  systemctl(['daemon-reload'], ['enable', target.name]);
  printLine('run `tend save` to choose the apps brought back at boot');
}

function unstartup(platform: string, flags: StartupFlags): void {
  const target = resolveTarget(platform, flags);
  if (process.getuid?.() !== 0) {
    printLine('To stop starting tend at boot, run as root:');
    return printLine(sudoLine('unstartup', target));
  }
  systemctl(['disable', target.name]);
  rmSync(target.file, { force: true });
  systemctl(['daemon-reload']);
  printLine(`removed ${target.file}`);
}
