import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TendClient } from '../api/client.js';
import { DAEMON_NODE_FLAGS } from '../api/daemon-launcher.js';
import { distPath } from '../api/dist-path.js';
import { printLine } from './output.js';
import type { UnitInput } from './systemd-unit.js';

const DEFAULT_KILL_TIMEOUT_MS = 1600;

/** The longest kill_timeout of the registered apps, so the unit's stop timeout covers each graceful stop. */
export async function maxKillTimeoutMs(): Promise<number> {
  const client = await TendClient.connect({ autoStart: false }).catch(() => null);
  if (!client) return DEFAULT_KILL_TIMEOUT_MS;
  try {
    const described = await client.describe(['all']).catch(() => []);
    return Math.max(DEFAULT_KILL_TIMEOUT_MS, ...described.map((d) => d.spec.killTimeoutMs));
  } finally {
    client.close();
  }
}

/** Runs systemctl; where systemd is not PID 1 (containers), says what to run on the real host. */
export function systemctl(...commands: string[][]): void {
  for (const args of commands) {
    const result = spawnSync('systemctl', args, { encoding: 'utf8' });
    if (result.status !== 0) {
      const why = (result.stderr || result.error?.message || '').trim().split('\n')[0] ?? '';
      printLine(`systemctl ${args.join(' ')} failed (${why}); run it where systemd is running`);
    }
  }
}

/** What a unit runs: this node, this tend, the user's TEND_HOME. */
export async function unitInput(scope: 'system' | 'user', user: string, home: string): Promise<UnitInput> {
  return {
    scope,
    user,
    home,
    tendHome: process.env.TEND_HOME || join(home, '.tend'),
    nodePath: process.execPath,
    nodeFlags: DAEMON_NODE_FLAGS,
    daemonScript: distPath('bin/tend-daemon.cjs'),
    cliScript: distPath('bin/tend.js'),
    maxKillTimeoutMs: await maxKillTimeoutMs(),
  };
}
