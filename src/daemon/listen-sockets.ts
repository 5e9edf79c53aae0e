import { spawn } from 'node:child_process';
import { existsSync, lstatSync, unlinkSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { getSystemErrorName as errname } from 'node:util';
import type { AppSpec, ListenSpec } from '../core/app-spec.js';
import { TendError } from '../core/errors.js';

/**
 * The sockets of `listen` apps (systemd's socket activation): bound once by the daemon, made
 * listening, and never accepted on here. Every instance inherits them as fd 3 onwards, so they
 * outlive restarts, reloads and crashes: a connection made while no instance runs waits in the
 * backlog instead of being refused. They close when the app is deleted.
 *
 * Node can bind a socket without listening only through its internal handle classes (the
 * ones node:cluster uses to share a bound handle); test/unit/daemon/listen-sockets.test.ts
 * pins that API. `listen()` itself is made by a short-lived child on an inherited copy of the
 * fd, because a listen in the daemon would have its event loop accept connections: Perl when
 * the system has it (~11 ms; it also receives sd_notify), else Node (~115 ms, a Node start-up).
 */
interface Handle {
  bind(address: string, port: number): number;
  bind6(address: string, port: number, flags: number): number;
  getsockname(out: Record<string, unknown>): number;
  close(callback?: () => void): void;
  readonly fd: number;
}

interface HandleBinding {
  TCP?: new (type: number) => Handle;
  Pipe?: new (type: number) => Handle & { bind(path: string): number };
  constants: { SERVER: number };
}

function internalBinding(name: 'tcp_wrap' | 'pipe_wrap'): HandleBinding {
  return (process as unknown as { binding(name: string): HandleBinding }).binding(name);
}

export const LISTEN_BACKLOG = 511;

/** Makes the already-bound socket at fd 3 listen, then exits before its event loop could accept. */
const LISTEN_HELPER = `const kind = process.argv[1]; const b = process.binding(kind === 'unix' ? 'pipe_wrap' : 'tcp_wrap');
const h = new (kind === 'unix' ? b.Pipe : b.TCP)(b.constants.SERVER); const e = h.open(3) || h.listen(${LISTEN_BACKLOG});
if (e) process.stderr.write(require('util').errname(e)); process.exit(e ? 1 : 0);`;

export interface BoundSocket {
  spec: ListenSpec;
  handle: Handle;
}

export class ListenSockets {
  private readonly byApp = new Map<string, BoundSocket[]>();

  /** Binds and listens on every socket of `spec`; throws LISTEN_FAILED (and keeps nothing) if one fails. */
  async open(spec: Pick<AppSpec, 'name' | 'listen'>): Promise<void> {
    const wanted = spec.listen ?? [];
    if (wanted.length === 0 || this.byApp.has(spec.name)) return;
    const bound: BoundSocket[] = [];
    try {
      for (const entry of wanted) {
        const socket = { spec: entry, handle: bindSocket(entry, spec.name) };
        bound.push(socket);
        await makeListening(socket, spec.name);
      }
    } catch (error) {
      for (const socket of bound) closeSocket(socket);
      throw error;
    }
    this.byApp.set(spec.name, bound);
  }

  /** The fds an instance of `appName` inherits, in `listen` order. */
  fdsOf(appName: string): number[] {
    return (this.byApp.get(appName) ?? []).map((socket) => socket.handle.fd);
  }

  has(appName: string): boolean {
    return this.byApp.has(appName);
  }

  close(appName: string): void {
    for (const socket of this.byApp.get(appName) ?? []) closeSocket(socket);
    this.byApp.delete(appName);
  }

  closeAll(): void {
    for (const name of [...this.byApp.keys()]) this.close(name);
  }
}

function listenError(appName: string, entry: ListenSpec, why: string): TendError {
  return new TendError('LISTEN_FAILED', `app ${appName}: cannot listen on ${entry.address}: ${why}`);
}

function explain(code: number, entry: ListenSpec): string {
  const name = errname(code);
  if (name === 'EADDRINUSE') return entry.kind === 'unix' ? 'the path is in use (EADDRINUSE)' : 'the address is already in use (EADDRINUSE)';
  if (name === 'EACCES') return entry.kind === 'unix' ? 'permission denied (EACCES)' : 'permission denied (EACCES; ports below 1024 need privileges)';
  if (name === 'EADDRNOTAVAIL') return 'no such local address (EADDRNOTAVAIL)';
  return name;
}

export function bindSocket(entry: ListenSpec, appName: string): Handle {
  if (entry.kind === 'unix') {
    removeStaleSocket(entry, appName);
    const binding = internalBinding('pipe_wrap');
    const handle = new (binding.Pipe as NonNullable<HandleBinding['Pipe']>)(binding.constants.SERVER);
    const err = handle.bind(entry.path);
    if (err !== 0) {
      handle.close();
      throw listenError(appName, entry, explain(err, entry));
    }
    return handle;
  }
  const binding = internalBinding('tcp_wrap');
  const handle = new (binding.TCP as NonNullable<HandleBinding['TCP']>)(binding.constants.SERVER);
  // libuv defers EADDRINUSE from bind to listen; getsockname reports it at once.
  const err = (isIPv6(entry.host) ? handle.bind6(entry.host, entry.port, 0) : handle.bind(entry.host, entry.port)) || handle.getsockname({});
  if (err !== 0) {
    handle.close();
    throw listenError(appName, entry, explain(err, entry));
  }
  return handle;
}

/** A socket file left by an earlier run (daemon killed) would make bind fail; anything else at the path is kept. */
function removeStaleSocket(entry: ListenSpec, appName: string): void {
  if (!existsSync(entry.path)) return;
  if (!lstatSync(entry.path).isSocket()) throw listenError(appName, entry, 'the path exists and is not a socket');
  unlinkSync(entry.path);
}

/** The same in Perl: listen(2) on fd 3, nothing else. */
const PERL_LISTEN_HELPER = `open(my $s, '+<&=', 3) or die "$!\\n"; listen($s, ${LISTEN_BACKLOG}) or die "$!\\n";`;

async function makeListening(socket: BoundSocket, appName: string): Promise<void> {
  const asTendError = (error: unknown): unknown => (error instanceof TendError ? error : listenError(appName, socket.spec, (error as Error).message));
  try {
    await runListenHelper('perl', ['-e', PERL_LISTEN_HELPER], socket, appName);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw asTendError(error);
    await runListenHelper(process.execPath, ['-e', LISTEN_HELPER, socket.spec.kind], socket, appName).catch((fallback: unknown) => {
      throw asTendError(fallback);
    });
  }
}

function runListenHelper(command: string, args: string[], socket: BoundSocket, appName: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe', socket.handle.fd] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A missing helper is passed on as is (ENOENT: the next one is tried).
    child.on('error', (error) => reject(error));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(listenError(appName, socket.spec, stderr.trim() || `listen failed (exit ${code})`));
    });
  });
}

function closeSocket(socket: BoundSocket): void {
  socket.handle.close();
  if (socket.spec.kind === 'unix') {
    try {
      unlinkSync(socket.spec.path);
    } catch {
      // Already removed.
    }
  }
}
