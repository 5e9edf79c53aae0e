/**
 * Churn: many restarts and reloads through one API connection, then the daemon's descriptors,
 * its process count and its RSS compared with a baseline taken after a warm-up round, and its
 * output searched for listener-leak warnings. 10,000 restarts are 200 rounds of `restart` over
 * 50 native apps; 1,000 reloads are 100 rounds of `reload` over 10 one-worker cluster apps
 * (TEND_CHAOS_RESTARTS and TEND_CHAOS_RELOADS scale them down for a quicker run).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TendClient } from '../../src/api/index.js';
import { FIXTURES, TendHarness, delay } from '../../test/helpers/tend-harness.js';
import { type Outcome, envMs, fdCount, rssMiB, verdict } from './outcome.js';

/** RSS the daemon may keep over its warmed-up baseline after the churn (heap growth is lazy to return). */
const RSS_SLACK_MIB = 24;

interface Snapshot {
  fds: number;
  rssMiB: number;
  processes: number;
}

function snapshot(tend: TendHarness, pid: number): Snapshot {
  return { fds: fdCount(pid), rssMiB: rssMiB(pid), processes: tend.processesOfThisHome().length };
}

/** Waits (up to 10 s) until the daemon's descriptors and the home's processes are back to `base`. */
async function settleTo(tend: TendHarness, pid: number, base: Snapshot): Promise<Snapshot> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const now = snapshot(tend, pid);
    if ((now.fds <= base.fds && now.processes === base.processes) || performance.now() > deadline) return now;
    await delay(200);
  }
}

function listenerWarnings(home: string): number {
  const text = ['daemon.out', 'daemon.log'].map((file) => {
    try {
      return readFileSync(join(home, file), 'utf8');
    } catch {
      return '';
    }
  });
  return text.join('\n').split('MaxListenersExceededWarning').length - 1;
}

async function churn(
  label: string,
  setUp: (tend: TendHarness) => Promise<string[]>,
  rounds: number,
  call: (client: TendClient, names: string[]) => Promise<unknown>,
): Promise<Outcome> {
  const tend = new TendHarness('tend-chaos-churn-');
  try {
    const names = await setUp(tend);
    await tend.waitFor(
      (list) => list.length === names.length && list.every((i) => i.status === 'online'),
      'every app online',
      120_000,
    );
    const client = await TendClient.connect({ home: tend.home, autoStart: false });
    const pid = client.daemon.pid;
    try {
      await call(client, names);
      const base = await settleTo(tend, pid, snapshot(tend, pid));
      const started = performance.now();
      for (let round = 1; round < rounds; round += 1) await call(client, names);
      const seconds = (performance.now() - started) / 1000;
      const after = await settleTo(tend, pid, base);
      const warnings = listenerWarnings(tend.home);
      const rssGrowth = after.rssMiB - base.rssMiB;
      const held = after.fds <= base.fds && after.processes === base.processes && rssGrowth < RSS_SLACK_MIB && warnings === 0;
      return {
        scenario: `${rounds * names.length} ${label}`,
        promise: `fds, processes back to baseline; RSS within ${RSS_SLACK_MIB} MiB; no listener warning`,
        result: verdict(held),
        figures: `${seconds.toFixed(0)} s; fds ${base.fds}->${after.fds}, processes ${base.processes}->${after.processes}, RSS ${base.rssMiB.toFixed(1)}->${after.rssMiB.toFixed(1)} MiB, listener warnings ${warnings}`,
      };
    } finally {
      client.close();
    }
  } finally {
    await tend.cleanup();
  }
}

interface ChurnKind {
  label: string;
  /** Environment variable with the total count, and the count the issue asks for. */
  totalVar: string;
  total: number;
  /** How many apps share the total (each round acts on all of them). */
  apps: number;
  prefix: string;
  startArgs: (name: string) => string[];
  call: (client: TendClient, names: string[]) => Promise<unknown>;
}

function churnOf(kind: ChurnKind): Promise<Outcome> {
  const total = envMs(kind.totalVar, kind.total);
  const apps = Math.min(kind.apps, total);
  const names = Array.from({ length: apps }, (_, n) => `${kind.prefix}${n}`);
  const setUp = async (tend: TendHarness): Promise<string[]> => {
    for (const name of names) await tend.ok(kind.startArgs(name), { env: { PORT: '0' } });
    return names;
  };
  return churn(kind.label, setUp, Math.max(2, Math.round(total / apps)), kind.call);
}

export function manyRestarts(): Promise<Outcome> {
  const startArgs = (name: string): string[] => ['start', '/bin/sleep', '--name', name, '--', '100000'];
  return churnOf({
    label: 'restarts',
    totalVar: 'TEND_CHAOS_RESTARTS',
    total: 10_000,
    apps: 50,
    prefix: 'native',
    startArgs,
    call: (client, names) => client.restart(names),
  });
}

export function manyReloads(): Promise<Outcome> {
  const startArgs = (name: string): string[] => [
    'start',
    join(FIXTURES, 'http-hello.js'),
    '--name',
    name,
    '-i',
    '1',
    '--min-uptime',
    '0',
  ];
  return churnOf({
    label: 'cluster reloads',
    totalVar: 'TEND_CHAOS_RELOADS',
    total: 1000,
    apps: 10,
    prefix: 'web',
    startArgs,
    call: (client, names) => client.reload(names),
  });
}
