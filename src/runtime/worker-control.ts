import type { Worker } from 'node:cluster';
import { DRAIN_COMMAND, type DrainMessage, type SignalName } from './host-messages.js';

/** Node's default action for these signals ends the process at once, cutting in-flight requests. */
function deliverSignal(worker: Worker, signal: SignalName): void {
  try {
    worker.process.kill(signal);
  } catch {
    // Already gone: its exit is on its way.
  }
}

/** Sends over the worker's IPC channel; false when the channel is closed or closing. */
export function sendToWorker(worker: Worker, message: unknown): boolean {
  if (!worker.isConnected()) return false;
  try {
    // The callback keeps a failed write from becoming an 'error' event on the worker.
    return worker.send(message as object, undefined, () => undefined);
  } catch {
    return false;
  }
}

/**
 * Graceful stop of one worker. The drain preload in the worker is told first (over the same
 * ordered channel), so responses carry `Connection: close` before the servers close; it also
 * delivers `signal` to the app, but only when the app listens for it. Then `disconnect()`
 * stops routing connections to the worker, closes its servers, and lets it exit on its own.
 * The daemon owns the kill timer.
 */
export function stopWorker(worker: Worker, signal: SignalName, withMessage: boolean): void {
  if (!worker.isConnected()) {
    // No channel (the app disconnected it): a signal is the only way left to ask.
    deliverSignal(worker, signal);
    return;
  }
  const drain: DrainMessage = { cmd: DRAIN_COMMAND, signal: withMessage ? null : signal };
  sendToWorker(worker, drain);
  if (withMessage) sendToWorker(worker, 'shutdown');
  try {
    worker.disconnect();
  } catch {
    // The channel closed meanwhile; the worker is exiting.
  }
}

export function signalWorker(worker: Worker, signal: SignalName): void {
  deliverSignal(worker, signal);
}
