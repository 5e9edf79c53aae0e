import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import type { WebStatus } from '../../../src/core/web.js';
import type { TendHarness } from '../../helpers/tend-harness.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags that keep Debian's Chromium quiet, offline and runnable as root in a container. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `tend web --port 0`: a free port, reported back by the daemon. */
export async function startWeb(tend: TendHarness, extra: string[] = []): Promise<WebStatus & { token: string }> {
  const status = JSON.parse(await tend.ok(['web', '--port', '0', '--json', ...extra])) as WebStatus;
  if (!status.running || !status.tokenUrl || !status.url) throw new Error(`tend web did not start: ${JSON.stringify(status)}`);
  const token = new URL(status.tokenUrl).searchParams.get('token') ?? '';
  return { ...status, token };
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile folder, removed again on close. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'tend-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
  } catch (error) {
    // No Chromium, or it failed to start: its profile folder goes too.
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** One value of a Prometheus text page, found by metric name and an exact label set. */
export function metricValue(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').length > 0 ? splitLabels(match[2] ?? '') : [];
    if (have.length === wanted.length && wanted.every((w) => have.includes(w))) return Number(match[3]);
  }
  return undefined;
}

/** Splits `a="x",b="y\"z"` at commas outside quoted values. */
function splitLabels(body: string): string[] {
  return body.match(/[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"/g) ?? [];
}
