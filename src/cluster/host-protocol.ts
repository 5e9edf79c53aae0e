/**
 * The daemon's side of the cluster host protocol. The message shapes are defined once, next
 * to the host in src/runtime/host-messages.ts, and imported as types only: nothing of the
 * host's code is loaded into the daemon.
 */
import type { HostToDaemon } from '../runtime/host-messages.js';

export type { DaemonToHost, HeldWorker, HostSetupMessage, HostToDaemon, OutputStreamName, SignalName } from '../runtime/host-messages.js';

const HOST_TO_DAEMON_TYPES = new Set<string>([
  'forked',
  'forkFailed',
  'listening',
  'ready',
  'message',
  'outputPipe',
  'outputFifo',
  'workers',
  'exit',
]);

/** Shallow check of a message from the host; the host is ours, so a type tag and key suffice. */
export function isHostToDaemon(value: unknown): value is HostToDaemon {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as { t?: unknown; key?: unknown };
  return typeof record.t === 'string' && HOST_TO_DAEMON_TYPES.has(record.t) && typeof record.key === 'number';
}
