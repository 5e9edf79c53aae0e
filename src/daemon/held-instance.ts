import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { DriverEvents, HolderRef, ProcessRef, SpawnedInstance } from '../core/driver.js';
import { isSameProcess } from '../metrics/proc-stat.js';
import { readExitStatus, releaseHolder } from './holder-files.js';
import type { ExitStatus } from './holder-script.js';
import { signalIfSame } from './kill-tree.js';

/**
 * Set when this daemon hands its apps over (`tend update`): from then on no holder is let go,
 * since what is still in its pipes is for the next daemon to read.
 */
let isHandingOver = false;
export function keepHoldersForNextDaemon(): void {
  isHandingOver = true;
}

/** How often the daemon checks whether an adopted instance's holder is still there. */
export const ADOPTED_EXIT_POLL_MS = 250;

/**
 * A fork-mode process as the daemon drives it: spawned by this daemon (under a holder, or
 * directly when it cannot have one), or adopted from a previous daemon. Signals go to the
 * app's pid only while it is still the same process (it is the holder's child, not ours, so
 * its pid may be reused once it is gone). The holder is let go (and its folder removed) once
 * the exit was reported and both pipes were read to their end.
 */
export class HeldInstance implements SpawnedInstance {
  readonly pid: number;
  readonly startTimeTicks: number;
  released?: Promise<void>;
  #hasExited = false;
  #openStreams = 0;

  constructor(
    identity: ProcessRef,
    readonly holder: HolderRef | null,
    private readonly child: ChildProcess | null,
    readonly stdout: Readable | null,
    readonly stderr: Readable | null,
  ) {
    this.pid = identity.pid;
    this.startTimeTicks = identity.startTimeTicks;
    for (const stream of [stdout, stderr]) {
      if (stream === null) continue;
      this.#openStreams += 1;
      stream.once('close', () => {
        this.#openStreams -= 1;
        this.#releaseHolderWhenDone();
      });
    }
  }

  get hasExited(): boolean {
    return this.#hasExited;
  }

  requestStop(signal: NodeJS.Signals, withMessage: boolean): void {
    if (withMessage && this.send('shutdown')) return;
    this.sendSignal(signal);
  }

  sendSignal(signal: NodeJS.Signals): void {
    if (this.#hasExited) return;
    if (this.holder === null && this.child !== null) {
      // Our own child: its pid cannot be reused before Node reaped it and saw the exit.
      try {
        this.child.kill(signal);
      } catch {
        // Already gone: the exit event reports it.
      }
      return;
    }
    signalIfSame(this, signal);
  }

  send(message: unknown): boolean {
    if (this.child === null || !this.child.connected) return false;
    this.child.send(message as object, (error) => error && undefined);
    return true;
  }

  /** Reports the app's exit once. */
  reportExit(exit: ExitStatus, events: DriverEvents): void {
    if (this.#hasExited) return;
    this.#hasExited = true;
    events.exited(exit.code, exit.signal);
    this.#releaseHolderWhenDone();
  }

  #releaseHolderWhenDone(): void {
    if (this.holder !== null && this.#hasExited && this.#openStreams === 0 && !isHandingOver) releaseHolder(this.holder.dir);
  }
}

/**
 * Reports an adopted instance's exit: its holder is not this daemon's child, so the status it
 * writes is looked for now (the app may have ended while no daemon ran), every
 * ADOPTED_EXIT_POLL_MS, and when the app's pipes end (usually as it exits). A holder that is
 * gone without a status (killed) gives an unknown exit: no code, no signal.
 */
export function watchAdoptedExit(instance: HeldInstance, events: DriverEvents): void {
  const holder = instance.holder;
  if (holder === null) return;
  const check = (): void => {
    if (instance.hasExited) return clearInterval(timer);
    const status = readExitStatus(holder.dir);
    if (status === null && isSameProcess(holder.pid, holder.startTimeTicks)) return;
    clearInterval(timer);
    instance.reportExit(status ?? { code: null, signal: null }, events);
  };
  const timer = setInterval(check, ADOPTED_EXIT_POLL_MS);
  setImmediate(check);
  for (const stream of [instance.stdout, instance.stderr]) stream?.once('end', () => setTimeout(check, 20));
}
