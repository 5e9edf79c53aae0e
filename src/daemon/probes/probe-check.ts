import { spawn } from 'node:child_process';
import { connect, isIP } from 'node:net';
import { getSystemErrorName } from 'node:util';
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

/**
 * GET exactly the URL given (HTTP/1.0, Connection: close, no redirect followed): 2xx and 3xx
 * pass; the verdict comes with the status line. Written on Node's internal TCP handle when the
 * host is an address: node:http's client cost the daemon ~0.58 ms of CPU per check, a
 * net.Socket ~0.27 ms, the bare handle ~0.20 ms (loop of checks against a local server).
 */
function httpCheck(url: string, timeoutMs: number): Promise<CheckOutcome> {
  const target = new URL(url);
  const port = Number(target.port || 80);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const request = `GET ${target.pathname}${target.search} HTTP/1.0\r\nHost: ${target.host}\r\nUser-Agent: tend-probe\r\nConnection: close\r\n\r\n`;
  if (isIP(host) === 0) return httpCheckByName(host, port, request, timeoutMs);
  const tcp = internal<TcpWrap>('tcp_wrap');
  const stream = internal<StreamWrap>('stream_wrap');
  return new Promise((resolve) => {
    const handle = new tcp.TCP(tcp.constants.SOCKET);
    const connectRequest = new tcp.TCPConnectWrap();
    let head = '';
    let done = false;
    const finish = (outcome: CheckOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      handle.close();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish(failed(`no answer within ${timeoutMs} ms`)), timeoutMs);
    handle.onread = (buffer) => {
      const bytes = stream.streamBaseState[stream.kReadBytesOrError] ?? -1;
      if (bytes <= 0 || buffer === undefined) return finish(failed(head === '' ? 'closed without an answer' : 'not an HTTP answer'));
      head += Buffer.from(buffer, stream.streamBaseState[stream.kArrayBufferOffset], bytes).toString('latin1');
      if (head.includes('\r\n') || head.length >= 1024) finish(statusOutcome(head));
    };
    connectRequest.oncomplete = (status) => {
      if (status !== 0) return finish(failed(getSystemErrorName(status)));
      const write = Object.assign(new stream.WriteWrap(), { handle, oncomplete: () => undefined, async: false });
      const error = handle.writeLatin1String(write, request) || handle.readStart();
      if (error !== 0) finish(failed(getSystemErrorName(error)));
    };
    const error = isIP(host) === 6 ? handle.connect6(connectRequest, host, port) : handle.connect(connectRequest, host, port);
    if (error !== 0) finish(failed(getSystemErrorName(error)));
  });
}

function statusOutcome(head: string): CheckOutcome {
  const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(head)?.[1] ?? 0);
  return status >= 200 && status < 400 ? PASS : failed(status === 0 ? 'not an HTTP answer' : `HTTP ${status}`);
}

/** A host name: net resolves it. */
function httpCheckByName(host: string, port: number, request: string, timeoutMs: number): Promise<CheckOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let head = '';
    const finish = (outcome: CheckOutcome): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish(failed(`no answer within ${timeoutMs} ms`)), timeoutMs);
    socket.write(request, 'latin1');
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (head.includes('\r\n') || head.length >= 1024) finish(statusOutcome(head));
    });
    socket.once('end', () => finish(failed(head === '' ? 'closed without an answer' : 'not an HTTP answer')));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(failed(error.code ?? error.message)));
  });
}

function internal<T>(name: 'tcp_wrap' | 'stream_wrap'): T {
  return (process as unknown as { binding(name: string): T }).binding(name);
}

interface StreamWrap {
  WriteWrap: new () => object;
  streamBaseState: Int32Array;
  kReadBytesOrError: number;
  kArrayBufferOffset: number;
}

interface TcpHandle {
  connect(req: object, host: string, port: number): number;
  connect6(req: object, host: string, port: number): number;
  close(): void;
  onread?: (buffer: ArrayBuffer | undefined) => void;
  readStart(): number;
  writeLatin1String(req: object, text: string): number;
}

type TcpWrap = { TCP: new (type: number) => TcpHandle; TCPConnectWrap: new () => { oncomplete?: (status: number) => void }; constants: { SOCKET: number } };

/**
 * A connect and nothing else, on Node's internal TCP handle (tcp_wrap and stream_wrap are
 * pinned by test/unit/daemon/listen-sockets.test.ts): ~0.09 ms of CPU against ~0.23 ms
 * through net.Socket. Host names go through net, which resolves them.
 */
function tcpCheck(host: string, port: number, timeoutMs: number): Promise<CheckOutcome> {
  const family = isIP(host);
  if (family === 0) return tcpCheckByName(host, port, timeoutMs);
  const wrap = internal<TcpWrap>('tcp_wrap');
  return new Promise((resolve) => {
    const handle = new wrap.TCP(wrap.constants.SOCKET);
    const request = new wrap.TCPConnectWrap();
    const done = (outcome: CheckOutcome): void => {
      clearTimeout(timer);
      handle.close();
      resolve(outcome);
    };
    const timer = setTimeout(() => done(failed(`no connection within ${timeoutMs} ms`)), timeoutMs);
    request.oncomplete = (status) => done(status === 0 ? PASS : failed(getSystemErrorName(status)));
    const error = family === 6 ? handle.connect6(request, host, port) : handle.connect(request, host, port);
    if (error !== 0) done(failed(getSystemErrorName(error)));
  });
}

function tcpCheckByName(host: string, port: number, timeoutMs: number): Promise<CheckOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (outcome: CheckOutcome): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done(failed(`no connection within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => done(PASS));
    socket.once('error', (error: NodeJS.ErrnoException) => done(failed(error.code ?? error.message)));
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
