import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { TendError } from '../../core/errors.js';

/**
 * Receives sd_notify datagrams for `ready: 'notify'` apps. Node has no Unix datagram sockets
 * and sd_notify clients only send SOCK_DGRAM, so one small Perl process per daemon (perl-base
 * is Essential on Debian and Ubuntu: present wherever their Node runs) binds one datagram
 * socket per spawned process and relays each message as a line: `msg <key> <assignment>`.
 * It costs ~4 MB and no CPU while idle; the alternatives were a native addon (a compiler at
 * install time) or Python (absent from slim images). It exits when the daemon's pipe closes.
 */
export const NOTIFY_RELAY_SCRIPT = String.raw`
use strict; use warnings; use Socket; use IO::Select;
$| = 1; my $sel = IO::Select->new(\*STDIN); my (%sock, %key, %path); my $in = '';
sub drop { my $k = shift; my $s = delete $sock{$k} or return; $sel->remove($s); delete $key{fileno $s}; close $s; unlink delete $path{$k}; }
while (1) {
  for my $fh ($sel->can_read) {
    if ($fh == \*STDIN) {
      my $n = sysread(STDIN, $in, 65536, length $in); exit 0 unless $n;
      while ($in =~ s/^([^\n]*)\n//) {
        my ($cmd, $k, $p) = split / /, $1, 3;
        if ($cmd eq 'add') {
          unlink $p; my $s;
          if (socket($s, AF_UNIX, SOCK_DGRAM, 0) && bind($s, pack_sockaddr_un($p))) {
            $sock{$k} = $s; $key{fileno $s} = $k; $path{$k} = $p; $sel->add($s); print "added $k\n";
          } else { print "failed $k $!\n"; }
        } elsif ($cmd eq 'del') { drop($k); }
      }
    } else {
      my $buf = ''; defined(recv($fh, $buf, 65536, 0)) or next; my $k = $key{fileno $fh};
      for my $line (split /\n/, $buf) { $line =~ s/[\r\0]/ /g; print "msg $k $line\n" if length $line; }
    }
  }
}`;

type Listener = (assignment: string) => void;

interface Pending {
  resolve: (path: string) => void;
  reject: (error: Error) => void;
}

export class NotifyRelay {
  private child: ChildProcess | null = null;
  private nextKey = 0;
  private readonly listeners = new Map<string, Listener>();
  private readonly pending = new Map<string, Pending & { path: string }>();

  /** `folder` holds the sockets; it must be short enough for a socket path (108 bytes). */
  constructor(private readonly folder: string) {}

  /** A fresh socket for one process: resolves with its path once it is bound (messages sent earlier would be lost). */
  open(listener: Listener): Promise<{ key: string; path: string }> {
    const child = this.ensureRunning();
    const key = `n${this.nextKey++}`;
    const path = join(this.folder, `${key}.sock`);
    this.listeners.set(key, listener);
    return new Promise((resolve, reject) => {
      this.pending.set(key, { path, resolve: (p) => resolve({ key, path: p }), reject });
      child.stdin?.write(`add ${key} ${path}\n`);
    });
  }

  close(key: string): void {
    this.listeners.delete(key);
    this.child?.stdin?.write(`del ${key}\n`);
  }

  stop(): void {
    this.child?.kill('SIGTERM');
    this.child = null;
    rmSync(this.folder, { recursive: true, force: true });
  }

  private ensureRunning(): ChildProcess {
    if (this.child !== null) return this.child;
    mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    const child = spawn('perl', ['-e', NOTIFY_RELAY_SCRIPT], { stdio: ['pipe', 'pipe', 'ignore'] });
    child.stdin?.on('error', () => undefined);
    child.on('error', (error) => this.failAll(new TendError('START_FAILED', `ready: 'notify' needs perl to receive sd_notify messages: ${error.message}`)));
    child.on('exit', () => {
      if (this.child === child) this.child = null;
      this.failAll(new TendError('START_FAILED', "the sd_notify relay (perl) exited; ready: 'notify' apps cannot report readiness"));
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => this.onLine(line));
    this.child = child;
    return child;
  }

  private onLine(line: string): void {
    const [verb, key = '', ...rest] = line.split(' ');
    const text = rest.join(' ');
    if (verb === 'msg') return this.listeners.get(key)?.(text);
    const waiting = this.pending.get(key);
    if (!waiting) return;
    this.pending.delete(key);
    if (verb === 'added') waiting.resolve(waiting.path);
    else waiting.reject(new TendError('START_FAILED', `cannot create the sd_notify socket ${waiting.path}: ${text}`));
  }

  private failAll(error: Error): void {
    for (const [key, waiting] of this.pending) {
      this.pending.delete(key);
      waiting.reject(error);
    }
  }
}

/** What one sd_notify assignment means for the instance that sent it. */
export type NotifyMessage = { type: 'ready' } | { type: 'status'; text: string } | { type: 'stopping' } | { type: 'watchdog' } | { type: 'other' };

export function parseNotifyAssignment(assignment: string): NotifyMessage {
  const eq = assignment.indexOf('=');
  const name = eq < 0 ? assignment : assignment.slice(0, eq);
  const value = eq < 0 ? '' : assignment.slice(eq + 1);
  if (name === 'READY' && value === '1') return { type: 'ready' };
  if (name === 'STATUS') return { type: 'status', text: value };
  if (name === 'STOPPING' && value === '1') return { type: 'stopping' };
  if (name === 'WATCHDOG' && value === '1') return { type: 'watchdog' };
  return { type: 'other' };
}
