/**
 * The daemon <-> cluster host protocol: messages between the daemon (src/cluster's
 * ClusterDriver) and one app's cluster host, over the host's IPC channel with
 * `serialization: 'advanced'` (apps' own messages may hold more than JSON). Defined here, with
 * the host, because the host is started by path and imports nothing of tend; src/cluster
 * imports these types only (nothing of this file runs in the daemon).
 *
 * Workers are named by `key`, a number the driver assigns per spawn, not by the instance id:
 * during a reload the old and the new worker of one instance run side by side.
 */
export type SignalName = NodeJS.Signals;
export type OutputStreamName = 'out' | 'err';

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
  | { t: 'shutdown' }
  /** The daemon read the worker's output FIFOs to their end: the host closes and removes them. */
  | { t: 'release'; key: number };

/** A worker the host still holds the output of, as a newly connected daemon learns it. */
export interface HeldWorker {
  key: number;
  pid: number;
  /** Its output FIFOs' folder. */
  dir: string;
  /** Set when it ended (maybe while no daemon was connected). */
  exit: { code: number | null; signal: SignalName | null } | null;
}

export type HostToDaemon =
  | { t: 'forked'; key: number; pid: number }
  | { t: 'forkFailed'; key: number; error: string }
  | { t: 'listening'; key: number }
  | { t: 'ready'; key: number }
  | { t: 'message'; key: number; message: unknown }
  /**
   * Sent with the worker's stdout or stderr pipe as its handle, before `forked`: the daemon
   * reads the worker's output itself, the bytes never pass through the host.
   */
  | { t: 'outputPipe'; key: number; stream: OutputStreamName }
  /**
   * Sent before `forked` when the workers' output goes through FIFOs in TEND_HOME: the daemon
   * opens `out` and `err` in `dir` by path (a later daemon can too); the host keeps their read
   * ends open until the daemon releases them.
   */
  | { t: 'outputFifo'; key: number; dir: string }
  /** The first message on a daemon's control-socket connection (key -1): every worker held. */
  | { t: 'workers'; key: number; workers: HeldWorker[] }
  /** The worker is gone; its last output may still be in its pipes, which the daemon drains. */
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

export function isDaemonToHost(value: unknown): value is DaemonToHost {
  if (typeof value !== 'object' || value === null) return false;
  return typeof (value as { t?: unknown }).t === 'string';
}
