import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { assertPrivateFile } from '../core/home.js';
import { join } from 'node:path';
import type { WebAddress, WebListenOptions } from '../core/web.js';

export type { WebAddress, WebListenOptions };

/**
 * What the daemon needs of the dashboard server. The daemon may not import src/web (DESIGN.md
 * §2), so src/bin builds the server and injects it; the daemon only starts and stops it.
 */
export interface WebController {
  start(options: WebListenOptions): Promise<WebAddress>;
  stop(): Promise<void>;
  status(): WebAddress | null;
}

export const DEFAULT_WEB_PORT = 9615;
export const DEFAULT_WEB_HOST = '127.0.0.1';

/** The `web` section of TEND_HOME/config.json, read when the daemon starts. */
export interface WebConfig {
  enabled: boolean;
  port: number;
  host: string;
  allowRemote: boolean;
}

/**
 * The token is made once and reused, so a bookmarked URL or a Prometheus scrape config keeps
 * working across daemon restarts. 32 random bytes: guessing is out of reach.
 */
export function readOrCreateWebToken(home: string): string {
  const file = join(home, 'web.token');
  // The token is as good as a password: one others could read or have planted is refused.
  assertPrivateFile(file, true);
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 32) return token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // The Web Crypto global rather than node:crypto: it is loaded on first use, and the idle
  // daemon never loads node:crypto's ~20 internal modules (0.4 MiB of RSS, measured).
  const token = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}

/** Missing file or section means "off"; a broken file is reported, not fatal to the daemon. */
export function readWebConfig(home: string): WebConfig | null {
  let text: string;
  try {
    text = readFileSync(join(home, 'config.json'), 'utf8');
  } catch {
    return null;
  }
  const parsed = JSON.parse(text) as { web?: Partial<Record<keyof WebConfig, unknown>> };
  const web = parsed.web;
  if (typeof web !== 'object' || web === null) return null;
  return {
    enabled: web.enabled === true,
    port: typeof web.port === 'number' && Number.isInteger(web.port) ? web.port : DEFAULT_WEB_PORT,
    host: typeof web.host === 'string' && web.host.length > 0 ? web.host : DEFAULT_WEB_HOST,
    allowRemote: web.allowRemote === true,
  };
}

/** Loopback names and addresses; anything else is reachable from the network. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}
