/**
 * Messages between the daemon (ClusterDriver) and one app's cluster host, over the host's
 * IPC channel with `serialization: 'advanced'` (so output chunks travel as bytes, not JSON).
 * src/runtime/host-messages.ts mirrors these shapes: the host is started by path and imports
 * nothing of tend.
 *
 * Workers are named by `key`, a number the driver assigns per spawn, not by the instance id:
 * during a reload the old and the new worker of one instance run side by side.
 */
export type SignalName = NodeJS.Signals;

export interface HostSetupMessage {
  t: 'setup';
  script: string;
  args: string[];
  execArgv: string[];
  cwd: string;
  uid: number | null;
  gid: number | null;
}

export type DaemonToHost =
  | HostSetupMessage
  /** Start a worker whose environment is exactly `env` (plus cluster's NODE_UNIQUE_ID). */
  | { t: 'fork'; key: number; env: Record<string, string> }
  /** Drain: stop routing to the worker, let it finish in-flight requests and exit. */
  | { t: 'stop'; key: number; signal: SignalName; withMessage: boolean }
  | { t: 'signal'; key: number; signal: SignalName }
  | { t: 'send'; key: number; message: unknown }
  /** No more forks; the host exits once its last worker is gone. */
  | { t: 'shutdown' };

export type OutputStreamName = 'out' | 'err';

export type HostToDaemon =
  | { t: 'forked'; key: number; pid: number }
  | { t: 'forkFailed'; key: number; error: string }
  | { t: 'listening'; key: number }
  | { t: 'ready'; key: number }
  | { t: 'message'; key: number; message: unknown }
  | { t: 'output'; key: number; stream: OutputStreamName; data: Uint8Array }
  | { t: 'outputEnd'; key: number; stream: OutputStreamName }
  /** Sent after the worker's stdout and stderr ended, or after a short bound. */
  | { t: 'exit'; key: number; code: number | null; signal: SignalName | null };

const HOST_TO_DAEMON_TYPES = new Set<string>([
  'forked',
  'forkFailed',
  'listening',
  'ready',
  'message',
  'output',
  'outputEnd',
  'exit',
]);

/** Shallow check of a message from the host; the host is ours, so a type tag and key suffice. */
export function isHostToDaemon(value: unknown): value is HostToDaemon {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as { t?: unknown; key?: unknown };
  return typeof record.t === 'string' && HOST_TO_DAEMON_TYPES.has(record.t) && typeof record.key === 'number';
}
