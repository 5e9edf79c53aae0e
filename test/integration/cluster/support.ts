import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { AppSpec } from '../../../src/core/app-spec.js';
import type { DriverEvents } from '../../../src/core/driver.js';
import { ClusterDriver } from '../../../src/cluster/cluster-driver.js';

export { findFreePort } from '../../helpers/ports.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/apps/', import.meta.url));

export function makeSpec(name: string, script: string, overrides: Partial<AppSpec> = {}): AppSpec {
  const logs = { outFile: null, errorFile: null, combinedFile: null, mergeLogs: false, time: false, dateFormat: null };
  return {
    name, namespace: 'default', script: join(FIXTURES, script), args: [], interpreter: null, interpreterArgs: [],
    cwd: FIXTURES, execMode: 'cluster', instances: 1, env: {}, instanceVar: 'NODE_APP_INSTANCE', incrementVar: null,
    autorestart: false, autostart: true, stopExitCodes: [], minUptimeMs: 1000, maxRestarts: 16, restartDelayMs: 0,
    expBackoffRestartDelayMs: 0, killSignal: 'SIGINT', killTimeoutMs: 1600, shutdownWithMessage: false,
    waitReady: false, listenTimeoutMs: 3000, treekill: true,
    logs: { ...logs, logType: 'raw', maxSizeBytes: 0, retain: 0, compress: false, rotateIntervalMs: 0 },
    maxMemoryRestartBytes: null, watch: null, ignoreWatch: [], watchDelayMs: 0, cronRestart: null,
    uid: null, gid: null, force: false, configFile: null, ...overrides,
  };
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** DriverEvents that records what happened to one worker. */
export class RecordedEvents implements DriverEvents {
  exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  exitCount = 0;
  readonly ready: Array<'ready' | 'listening'> = [];
  readonly messages: unknown[] = [];

  exited(code: number | null, signal: NodeJS.Signals | null): void {
    this.exit = { code, signal };
    this.exitCount += 1;
  }

  readyReceived(kind: 'ready' | 'listening'): void {
    this.ready.push(kind);
  }

  messageReceived(message: unknown): void {
    this.messages.push(message);
  }

  waitListening(timeoutMs = 10_000): Promise<void> {
    return waitFor(() => this.ready.includes('listening'), timeoutMs, 'listening');
  }

  waitExit(timeoutMs = 10_000): Promise<void> {
    return waitFor(() => this.exit !== null, timeoutMs, 'exit');
  }
}

/** Collects a stream's text; `ended` tells when it finished. */
export function collectText(stream: Readable | null): { text: () => string; ended: () => boolean } {
  let text = '';
  let ended = false;
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => (text += chunk));
  stream?.on('end', () => (ended = true));
  return { text: () => text, ended: () => ended };
}

/** One GET; without an agent each request opens its own connection (spreads over workers). */
export function httpGet(port: number, path = '/', agent?: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent: agent ?? false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** A driver plus what it started, so `after` can kill every host group by pid. */
export class ClusterTestBed {
  readonly driver = new ClusterDriver({ releaseTimeoutMs: 2000 });
  readonly dir = mkdtempSync(join(tmpdir(), 'tend-cluster-'));
  readonly #hostPids = new Set<number>();

  noteHost(appName: string): number {
    const pid = this.driver.hostPid(appName);
    if (pid === null) throw new Error(`no host for ${appName}`);
    this.#hostPids.add(pid);
    return pid;
  }

  noteHostPid(pid: number): void {
    this.#hostPids.add(pid);
  }

  cleanup(): void {
    for (const pid of this.#hostPids) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits until something answers HTTP on `port`. A cluster worker is online at min_uptime even
 * before it listens (a TypeScript app compiling on a loaded machine), so "online" alone does
 * not say that it serves yet.
 */
export async function waitServing(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await httpGet(port).then((r) => r.status, () => 0);
    if (status !== 0) return;
    if (Date.now() > deadline) throw new Error(`nothing answered on port ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
