import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import type { ProbeCheck } from '../../core/app-spec.js';

export interface CheckOutcome {
  ok: boolean;
  /** Why it failed, in a few words; null when it passed. */
  detail: string | null;
}

const PASS: CheckOutcome = { ok: true, detail: null };
const failed = (detail: string): CheckOutcome => ({ ok: false, detail });

/**
 * The check of one instance: `${NAME}` in a URL, address or argument is replaced by the
 * instance's variable (e.g. a PORT set per instance by increment_var). Only that: no shell,
 * no other expansion. An unknown name is left as written, so the check fails visibly.
 */
export function expandCheck(check: ProbeCheck, env: Readonly<Record<string, string>>): ProbeCheck {
  const expand = (text: string): string => text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => env[name] ?? whole);
  switch (check.type) {
    case 'http':
      return { type: 'http', url: expand(check.url) };
    case 'tcp':
      return check;
    case 'exec':
      return { type: 'exec', argv: check.argv.map(expand) };
  }
}

/** Runs one check, bounded by `timeoutMs`. Never rejects. An exec check runs with the instance's environment. */
export function runCheck(check: ProbeCheck, timeoutMs: number, cwd: string, env?: Readonly<Record<string, string>>): Promise<CheckOutcome> {
  switch (check.type) {
    case 'http':
      return httpCheck(check.url, timeoutMs);
    case 'tcp':
      return tcpCheck(check.host, check.port, timeoutMs);
    case 'exec':
      return execCheck(check.argv, timeoutMs, cwd, env);
  }
}

/** GET exactly the URL given, no redirects followed, no keep-alive: 2xx and 3xx pass. */
function httpCheck(url: string, timeoutMs: number): Promise<CheckOutcome> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', agent: false, timeout: timeoutMs, headers: { 'user-agent': 'tend-probe', connection: 'close' } }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 400 ? PASS : failed(`HTTP ${status}`));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(failed(error.code ?? error.message)));
    req.end();
  });
}

function tcpCheck(host: string, port: number, timeoutMs: number): Promise<CheckOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve(PASS);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(failed(`no connection within ${timeoutMs} ms`));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(failed(error.code ?? error.message)));
  });
}

/** The command runs with an argument array, never through a shell; exit 0 passes. */
function execCheck(argv: readonly string[], timeoutMs: number, cwd: string, env: Readonly<Record<string, string>> | undefined): Promise<CheckOutcome> {
  return new Promise((resolve) => {
    const [command, ...args] = argv as [string, ...string[]];
    const child = spawn(command, args, { cwd, env, stdio: 'ignore', timeout: timeoutMs, killSignal: 'SIGKILL' });
    child.once('error', (error: NodeJS.ErrnoException) => resolve(failed(error.code ?? error.message)));
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(PASS);
      else resolve(failed(signal === 'SIGKILL' ? `no exit within ${timeoutMs} ms` : signal ? `killed by ${signal}` : `exit code ${code}`));
    });
  });
}
