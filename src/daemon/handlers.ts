import { constants as osConstants } from 'node:os';
// env-build only, not the config index: the daemon must not load the config parsers.
import { buildEnvSnapshot } from '../config/env-build.js';
import { TendError } from '../core/errors.js';
import { instanceLimitMessage } from '../core/limits.js';
import type { DescribeResult, InstanceInfo } from '../core/instance-info.js';
import type { HandlerTable } from '../ipc/handler-binding.js';
import type { ParamsOf, StartEntry } from '../ipc/methods.js';
import { EncodedJson } from '../ipc/encoded-json.js';
import { unpackStartEntries } from '../ipc/start-envs.js';
import type { Instance } from './instance.js';
import { ListText } from './list-text.js';
import { withPm2Fields } from './pm2-shape.js';
import { reloadInstances } from './reload.js';
import { waitOnline } from './settle.js';
import type { Supervisor } from './supervisor.js';
import { afterPoll } from './timers.js';

export interface HandlerDeps {
  supervisor: Supervisor;
  version: string;
  logFiles(instance: Instance): DescribeResult['logFiles'];
  logStats(instance: Instance): DescribeResult['logStats'];
  tailLogs(instance: Instance, lines: number, stream: 'out' | 'err' | 'both', maxBytes: number): Promise<TailedLines>;
  flushLogs(instances: Instance[] | null): Promise<string[]>;
  reopenLogs(): Promise<void>;
  envOf(instance: Instance): Record<string, string>;
  /** Stops every app and then the daemon, after the reply has gone out. */
  shutdown(): void;
  /** Instances the daemon runs at most (limits.max_instances). */
  maxInstances: number;
  /**
   * Writes the state file now, durably; throws when it cannot (a full disk). Called before and
   * after a start so that the command fails, and nothing keeps running that the state does
   * not know, when the state cannot be written.
   */
  persistState(): void;
}

export interface TailedLines {
  out: string[];
  err: string[];
  /** Older lines were left out to keep the reply under its byte budget. */
  truncated: boolean;
}

/**
 * Bytes of log text one `logsTail` reply may carry, shared by its files: with JSON's escapes
 * on top it stays under the protocol's 8 MiB frame for ordinary text (and a reply that does
 * not is an error, never a hang).
 */
export const TAIL_REPLY_BYTES = 4 * 1024 * 1024;
/** Each file's part in `describe`: a few lines, whatever their length. */
const DESCRIBE_STDERR_BYTES = 2 * 1024;
/** `logs --lines` past this is refused: read the file itself. */
export const MAX_TAIL_LINES = 100_000;

type CoreMethod =
  | 'ping' | 'list' | 'specs' | 'start' | 'stop' | 'restart' | 'reload' | 'delete' | 'reset' | 'signal' | 'scale'
  | 'describe' | 'env' | 'logsTail' | 'flush' | 'reloadLogs' | 'subscribe' | 'kill';

/** The explicit map of methods a client may call (DESIGN.md §5); params arrive checked (handler-binding.ts). */
export function createHandlers(deps: HandlerDeps): Pick<HandlerTable, CoreMethod> {
  const { supervisor } = deps;
  const infos = (instances: Instance[]): InstanceInfo[] => instances.map((i) => supervisor.info(i));
  // Each row's unchanging part as JSON, kept while the instance stays as it was (list-text.ts).
  const listText = new ListText<Instance>();

  return {
    ping: () => ({ pong: true, pid: process.pid, version: deps.version }),
    list: () => {
      const { bytes, release } = listText.encode(supervisor.allInstances(), (i) =>
        listText.row(i, supervisor.info(i), [i.spec, i.history.last()], (row) =>
          withPm2Fields(row, { spec: i.spec, logFiles: deps.logFiles(i), history: i.history.toArray(), version: deps.version }),
        ),
      );
      return new EncodedJson<InstanceInfo[]>(bytes, release);
    },
    specs: () => supervisor.specs(),
    start: async (packed) => {
      const apps = unpackStartEntries(packed);
      if (typeof apps === 'string') throw new TendError('INVALID_ARGUMENT', `start: ${apps}`);
      const { wait } = packed;
      // Parsing and checking a start of 1,000 apps take ~a few ms of one turn of the event loop
      // (32 ms when each app carried its own environment, see start-envs.ts); registering and
      // queueing the apps ~40 ms more, in turns of their own (Supervisor.startApps). A ping that
      // came meanwhile is answered in between.
      if (apps.length > 1) await afterPoll();
      const fresh = new Set(apps.filter((e) => !supervisor.app(e.spec.name)).map((e) => e.spec.name));
      const added = apps.filter((e) => fresh.has(e.spec.name)).reduce((sum, e) => sum + e.spec.instances, 0);
      checkInstanceLimit(supervisor.allInstances().length + added, deps.maxInstances);
      persistOrFail(deps);
      const started = await supervisor.startApps(apps);
      try {
        persistOrFail(deps);
      } catch (error) {
        // Nothing may run that the state file does not know: after a daemon crash it would run on unmanaged.
        await supervisor.deleteInstances(started.filter((i) => fresh.has(i.spec.name)));
        throw error;
      }
      // The reply says the apps run: a daemon killed right after it must leave them running,
      // not waiting at their start gates for a go line that never comes.
      await Promise.all(started.map((instance) => instance.leftGate()));
      if (wait === true) await waitOnline(started);
      // The same for the last state write and the reply: ~14 ms each with 1,000 apps.
      if (started.length > 1) await afterPoll();
      return infos(started);
    },
    stop: async ({ targets }) => {
      const instances = supervisor.resolve(targets);
      await supervisor.stopInstances(instances);
      return infos(instances);
    },
    restart: async (p) => {
      const instances = supervisor.resolve(p.targets);
      applyUpdateEnv(supervisor, instances, p);
      await Promise.all(instances.map((i) => i.restart('manual')));
      if (p.wait === true) await waitOnline(instances);
      return infos(instances);
    },
    reload: async (p) => {
      const instances = supervisor.resolve(p.targets);
      applyUpdateEnv(supervisor, instances, p);
      const outcome = await reloadInstances(supervisor, instances);
      return { instances: infos(supervisor.resolve(p.targets)), restartedForkApps: outcome.restartedForkApps };
    },
    delete: async ({ targets }) => {
      const instances = supervisor.resolve(targets);
      const before = infos(instances);
      await supervisor.deleteInstances(instances);
      return before;
    },
    reset: ({ targets }) => {
      const instances = supervisor.resolve(targets);
      for (const instance of instances) instance.resetCounters();
      return infos(instances);
    },
    signal: (p) => {
      const signal = readSignal(p.signal);
      const instances = supervisor.resolve(p.targets);
      for (const instance of instances) instance.process?.sendSignal(signal);
      return infos(instances);
    },
    scale: async (p) => {
      const entry = supervisor.app(p.name);
      if (!entry) throw new TendError('APP_NOT_FOUND', `no app named "${p.name}"`);
      const count = parseScale(p.count, entry.instances.size);
      checkInstanceLimit(supervisor.allInstances().length - entry.instances.size + count, deps.maxInstances);
      persistOrFail(deps);
      await supervisor.scale(p.name, count);
      return infos([...(supervisor.app(p.name)?.instances.values() ?? [])]);
    },
    describe: async (p) => Promise.all(supervisor.resolve(p.targets).map((i) => describe(deps, i, p.env === true))),
    env: ({ targets }) => {
      const [instance] = supervisor.resolve(targets);
      return instance ? deps.envOf(instance) : {};
    },
    logsTail: async (p) => {
      const lines = p.lines ?? 15;
      if (!Number.isInteger(lines) || lines < 0 || lines > MAX_TAIL_LINES) {
        throw new TendError('INVALID_ARGUMENT', `lines must be a whole number up to ${MAX_TAIL_LINES}, got ${lines}; read the log file itself for more`);
      }
      const stream = p.stream ?? 'both';
      const instances = supervisor.resolve(p.targets);
      const files = instances.length * (stream === 'both' ? 2 : 1);
      const maxBytes = Math.max(DESCRIBE_STDERR_BYTES, Math.floor(TAIL_REPLY_BYTES / Math.max(1, files)));
      // One instance at a time: the reads' buffers are never all held at once.
      const tails = [];
      for (const i of instances) tails.push({ id: i.id, name: i.spec.name, instance: i.index, ...(await deps.tailLogs(i, lines, stream, maxBytes)) });
      return tails;
    },
    flush: async ({ targets }) => deps.flushLogs(targets && targets.length > 0 ? supervisor.resolve(targets) : null),
    reloadLogs: async () => {
      await deps.reopenLogs();
      return { reopened: true };
    },
    subscribe: ({ events }, connection) => {
      for (const event of events) connection.subscriptions.add(event);
      return { subscribed: events };
    },
    kill: () => {
      deps.shutdown();
      return { stopping: supervisor.allInstances().length };
    },
  };
}

function checkInstanceLimit(total: number, max: number): void {
  if (total > max) throw new TendError('INSTANCE_LIMIT', instanceLimitMessage(total, max));
}

function persistOrFail(deps: HandlerDeps): void {
  try {
    deps.persistState();
  } catch (error) {
    throw stateWriteFailed(error, 'nothing was started');
  }
}

/** The one-line error of a state file that could not be written, and what it means here. */
export function stateWriteFailed(error: unknown, consequence: string): TendError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
  return new TendError('STATE_WRITE_FAILED', `could not write the state file (${reason}); ${consequence}`, { cause: error });
}

const DESCRIBE_STDERR_LINES = 10;

async function describe(deps: HandlerDeps, instance: Instance, showEnv: boolean): Promise<DescribeResult> {
  const env = deps.envOf(instance);
  const shown: Record<string, string | null> = {};
  for (const name of Object.keys(env).sort()) shown[name] = showEnv ? (env[name] ?? null) : null;
  const spec = showEnv ? instance.spec : { ...instance.spec, env: Object.fromEntries(Object.keys(instance.spec.env).map((k) => [k, '(hidden)'])) };
  return {
    info: deps.supervisor.info(instance),
    spec,
    env: shown,
    logFiles: deps.logFiles(instance),
    logStats: deps.logStats(instance),
    history: instance.history.toArray(),
    recentStderr: (await deps.tailLogs(instance, DESCRIBE_STDERR_LINES, 'err', DESCRIBE_STDERR_BYTES)).err,
  };
}

/**
 * `--update-env`: `apps` (a config file given again) replaces each named app's spec and
 * snapshot; a bare `baseEnv` replaces only the snapshot. Removed variables are gone.
 */
function applyUpdateEnv(supervisor: Supervisor, instances: Instance[], p: ParamsOf<'restart'>): void {
  const entries: StartEntry[] = p.apps ?? [];
  const baseEnv = p.baseEnv ?? null;
  if (entries.length === 0 && baseEnv === null) return;
  for (const name of new Set(instances.map((i) => i.spec.name))) {
    const entry = entries.find((e) => e.spec.name === name);
    if (entry) supervisor.updateApp(name, entry.spec, entry.baseEnv);
    else if (baseEnv) {
      // The caller's whole environment, filtered as the app's filter_env asks.
      const filterEnv = supervisor.app(name)?.record.spec.filterEnv ?? false;
      supervisor.updateApp(name, null, buildEnvSnapshot(baseEnv, filterEnv));
    }
  }
}

/** `N`, `+N` or `-N` against the current count. */
export function parseScale(value: string, current: number): number {
  const match = /^([+-]?)(\d+)$/.exec(value.trim());
  if (!match) throw new TendError('INVALID_ARGUMENT', `scale needs N, +N or -N, got "${value}"`);
  const amount = Number(match[2]);
  const next = match[1] === '+' ? current + amount : match[1] === '-' ? current - amount : amount;
  if (next < 0) throw new TendError('INVALID_ARGUMENT', `cannot scale below 0 instances (have ${current}, asked ${value})`);
  return next;
}

function readSignal(value: string): NodeJS.Signals {
  const name = value.toUpperCase();
  const full = name.startsWith('SIG') ? name : `SIG${name}`;
  if (!Object.hasOwn(osConstants.signals, full)) throw new TendError('INVALID_ARGUMENT', `unknown signal "${value}"`);
  return full as NodeJS.Signals;
}
