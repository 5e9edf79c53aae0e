import { dirname } from 'node:path';

export interface UnitInput {
  /** `system`: /etc/systemd/system, run as `user`; `user`: the user's own manager (`systemctl --user`). */
  scope?: 'system' | 'user';
  user: string;
  /** The user's home; TEND_HOME defaults to <home>/.tend. */
  home: string;
  tendHome: string;
  nodePath: string;
  /** Flags between node and the daemon script (see DAEMON_NODE_FLAGS). */
  nodeFlags: readonly string[];
  daemonScript: string;
  cliScript: string;
  /** The longest kill_timeout of the apps, so systemd waits for every graceful stop. */
  maxKillTimeoutMs: number;
}

/** Grace systemd adds on top of the apps' kill_timeout before it SIGKILLs the whole cgroup. */
const STOP_MARGIN_S = 10;
const MIN_STOP_TIMEOUT_S = 30;

export function stopTimeoutSeconds(maxKillTimeoutMs: number): number {
  return Math.max(MIN_STOP_TIMEOUT_S, Math.ceil(maxKillTimeoutMs / 1000) + STOP_MARGIN_S);
}

/** One word of a unit line: quoted, with `\`, `"`, `%` (specifiers) and `$` (env expansion) escaped. */
export function quoteUnitWord(word: string): string {
  if (/[\n\r]/.test(word)) throw new Error(`a systemd unit value cannot contain a newline: ${JSON.stringify(word)}`);
  return `"${word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

/**
 * The unit runs the daemon itself in the foreground (`Type=exec`), so systemd's main pid is the
 * real daemon: no PID file and no forking guesswork (PM2 uses Type=forking + PIDFile). The
 * daemon restores its state file and then the saved dump (`--resurrect`). On stop, systemd sends
 * SIGTERM to the daemon only (`KillMode=mixed`); the daemon stops every app with its own signal
 * and kill_timeout, and only after TimeoutStopSec does systemd SIGKILL what is left.
 */
export function renderSystemdUnit(input: UnitInput): string {
  const path = [dirname(input.nodePath), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  const q = quoteUnitWord;
  // A user manager runs as the user with its HOME already set, cannot switch users, has no
  // network.target, and may not raise the open-files limit past its own hard limit.
  const isUser = input.scope === 'user';
  return [
    '[Unit]',
    `Description=tend process manager (${input.user})`,
    ...(isUser ? [] : ['After=network.target']),
    '',
    '[Service]',
    'Type=exec',
    ...(isUser ? [] : [`User=${input.user}`, `Environment=${q(`HOME=${input.home}`)}`]),
    `Environment=${q(`TEND_HOME=${input.tendHome}`)}`,
    `Environment=${q(`PATH=${[...new Set(path)].join(':')}`)}`,
    `ExecStart=${[input.nodePath, ...input.nodeFlags, input.daemonScript].map(q).join(' ')} --resurrect`,
    `ExecReload=${q(input.nodePath)} ${q(input.cliScript)} reload all`,
    'KillMode=mixed',
    'KillSignal=SIGTERM',
    `TimeoutStopSec=${stopTimeoutSeconds(input.maxKillTimeoutMs)}`,
    'Restart=on-failure',
    'RestartSec=1',
    ...(isUser ? [] : ['LimitNOFILE=infinity']),
    '',
    '[Install]',
    `WantedBy=${isUser ? 'default.target' : 'multi-user.target'}`,
    '',
  ].join('\n');
}
