/**
 * The host side of the daemon <-> cluster host protocol. It mirrors
 * src/cluster/host-protocol.ts as plain shapes because the host is started by path and imports
 * nothing of tend; keep the two in step.
 */
export type SignalName = NodeJS.Signals;
export type OutputStreamName = 'out' | 'err';

export interface SetupMessage {
  t: 'setup';
  script: string;
  args: string[];
  execArgv: string[];
  cwd: string;
  uid: number | null;
  gid: number | null;
}

export type IncomingMessage =
  | SetupMessage
  | { t: 'fork'; key: number; env: Record<string, string> }
  | { t: 'stop'; key: number; signal: SignalName; withMessage: boolean }
  | { t: 'signal'; key: number; signal: SignalName }
  | { t: 'send'; key: number; message: unknown }
  | { t: 'shutdown' };

export type OutgoingMessage =
  | { t: 'forked'; key: number; pid: number }
  | { t: 'forkFailed'; key: number; error: string }
  | { t: 'listening'; key: number }
  | { t: 'ready'; key: number }
  | { t: 'message'; key: number; message: unknown }
  | { t: 'output'; key: number; stream: OutputStreamName; data: Uint8Array }
  | { t: 'outputEnd'; key: number; stream: OutputStreamName }
  | { t: 'exit'; key: number; code: number | null; signal: SignalName | null };

/**
 * What the host sends a worker's drain preload. Node hands messages whose `cmd` starts with
 * `NODE_` to the internal 'internalMessage' event, so the app's own `process.on('message')`
 * never sees it. Mirrored in drain-preload.cts.
 */
export const DRAIN_COMMAND = 'NODE_TEND_DRAIN';

export interface DrainMessage {
  cmd: typeof DRAIN_COMMAND;
  /** Delivered to the worker only when the app listens for it. */
  signal: SignalName | null;
}

export function isIncomingMessage(value: unknown): value is IncomingMessage {
  if (typeof value !== 'object' || value === null) return false;
  return typeof (value as { t?: unknown }).t === 'string';
}
