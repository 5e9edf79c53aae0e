import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { until } from '../../helpers/tend-harness.js';

/**
 * A shell in a detached tmux session on a private socket, driven like a person at a terminal:
 * type, press keys, read the screen. The socket name is unique to this test process, so
 * `kill()` (kill-server on that socket) can only end what this test created.
 */
export class TmuxPane {
  private readonly socket = `tend-monit-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly socketPath: string;

  constructor(columns: number, rows: number) {
    // A bare shell with a fixed prompt, so "the shell is back" is a line we can look for.
    this.tmux('new-session', '-d', '-s', 'monit', '-x', String(columns), '-y', String(rows), 'env', 'PS1=shell$ ', 'bash', '--norc', '--noprofile');
    this.socketPath = this.tmux('display-message', '-p', '#{socket_path}').trim();
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Types a command line and presses Enter. */
  type(line: string): void {
    this.tmux('send-keys', '-t', 'monit', '-l', line);
    this.tmux('send-keys', '-t', 'monit', 'Enter');
  }

  /** Presses keys by tmux name (`r`, `q`, `C-c`, `Down`). */
  press(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'monit', ...keys);
  }

  /** The visible screen, one string per line. */
  screen(): string[] {
    return this.tmux('capture-pane', '-p', '-t', 'monit').replace(/\n$/, '').split('\n');
  }

  /** Whether the pane shows the alternate screen (a full-screen program is running). */
  isAlternateScreenOn(): boolean {
    return this.tmux('display-message', '-p', '-t', 'monit', '#{alternate_on}').trim() === '1';
  }

  /** Lines scrolled off the main screen; a clear-scrollback escape drops them to 0. */
  historySize(): number {
    return Number(this.tmux('display-message', '-p', '-t', 'monit', '#{history_size}').trim());
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', 'monit', '-x', String(columns), '-y', String(rows));
  }

  waitForScreen(predicate: (text: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
    return until(() => {
      const text = this.screen().join('\n');
      return predicate(text) ? text : undefined;
    }, `${what}; screen:\n${this.screen().join('\n')}`, timeoutMs);
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
    // tmux leaves its socket file behind after kill-server.
    if (this.socketPath) rmSync(this.socketPath, { force: true });
  }
}
