import { constants as osConstants } from 'node:os';
// env-build only, not the config index: the daemon must not load the config parsers.
import { buildEnvSnapshot } from '../config/env-build.js';
import type { AppSpec } from '../core/app-spec.js';
import { TendError } from '../core/errors.js';
import { nameProblem } from '../core/app-name.js';
import { instanceLimitMessage } from '../core/limits.js';
import type { DescribeResult, InstanceInfo } from '../core/instance-info.js';
import type { Handler } from '../ipc/server.js';
import type { Instance } from './instance.js';
import {
  asObject,
  readBoolean,
  readEnv,
  readOptionalNumber,
  readOptionalString,
  readStringArray,
} from './params.js';
import { withPm2Fields } from './pm2-shape.js';
import { reloadInstances } from './reload.js';
import type { Supervisor } from './supervisor.js';

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

/** The explicit map of methods a client may call (DESIGN.md §5). */
export function createHandlers(deps: HandlerDeps): Map<string, Handler> {
  const { supervisor } = deps;
  const infos = (instances: Instance[]): InstanceInfo[] => instances.map((i) => supervisor.info(i));
  const targeted = (params: unknown): Instance[] => supervisor.resolve(readStringArray(asObject(params), 'targets'));

  return new Map<string, Handler>([
    ['ping', () => ({ pong: true, pid: process.pid, version: deps.version })],
    [
      'list',
      () =>
        supervisor.allInstances().map((i) =>
          withPm2Fields(supervisor.info(i), { spec: i.spec, logFiles: deps.logFiles(i), history: i.history.toArray(), version: deps.version }),
        ),
    ],
    // Each app's spec as registered (env included): what `apply` compares a config file with.
    ['specs', () => supervisor.specs()],
    [
      'start',
      async (params) => {
        const p = asObject(params);
        const entries = readStartEntries(p.apps);
        const fresh = new Set(entries.filter((e) => !supervisor.app(e.spec.name)).map((e) => e.spec.name));
        const added = entries.filter((e) => fresh.has(e.spec.name)).reduce((sum, e) => sum + e.spec.instances, 0);
        checkInstanceLimit(supervisor.allInstances().length + added, deps.maxInstances);
        persistOrFail(deps);
        const started = await supervisor.startApps(entries);
        try {
          persistOrFail(deps);
        } catch (error) {
          // Nothing may run that the state file does not know: after a daemon crash it would run on unmanaged.
          await supervisor.deleteInstances(started.filter((i) => fresh.has(i.spec.name)));
          throw error;
        }
        return infos(started);
      },
    ],
    [
      'stop',
      async (params) => {
        const instances = targeted(params);
        await supervisor.stopInstances(instances);
        return infos(instances);
      },
    ],
    [
      'restart',
      async (params) => {
        const p = asObject(params);
        const instances = supervisor.resolve(readStringArray(p, 'targets'));
        applyUpdateEnv(supervisor, instances, p);
        await Promise.all(instances.map((i) => i.restart('manual')));
        return infos(instances);
      },
    ],
    [
      'reload',
      async (params) => {
        const p = asObject(params);
        const instances = supervisor.resolve(readStringArray(p, 'targets'));
        applyUpdateEnv(supervisor, instances, p);
        const outcome = await reloadInstances(supervisor, instances);
        return { instances: infos(supervisor.resolve(readStringArray(p, 'targets'))), restartedForkApps: outcome.restartedForkApps };
      },
    ],
    [
      'delete',
      async (params) => {
        const instances = targeted(params);
        const before = infos(instances);
        await supervisor.deleteInstances(instances);
        return before;
      },
    ],
    [
      'reset',
      (params) => {
        const instances = targeted(params);
        for (const instance of instances) instance.resetCounters();
        return infos(instances);
      },
    ],
    [
      'signal',
      (params) => {
        const p = asObject(params);
        const signal = readSignal(readOptionalString(p, 'signal'));
        const instances = supervisor.resolve(readStringArray(p, 'targets'));
        for (const instance of instances) instance.process?.sendSignal(signal);
        return infos(instances);
      },
    ],
    [
      'scale',
      async (params) => {
        const p = asObject(params);
        const name = readOptionalString(p, 'name') ?? '';
        const entry = supervisor.app(name);
        if (!entry) throw new TendError('APP_NOT_FOUND', `no app named "${name}"`);
        const count = parseScale(readOptionalString(p, 'count') ?? '', entry.instances.size);
        checkInstanceLimit(supervisor.allInstances().length - entry.instances.size + count, deps.maxInstances);
        persistOrFail(deps);
        await supervisor.scale(name, count);
        return infos([...(supervisor.app(name)?.instances.values() ?? [])]);
      },
    ],
    [
      'describe',
      async (params) => {
        const p = asObject(params);
        const showEnv = readBoolean(p, 'env');
        const instances = supervisor.resolve(readStringArray(p, 'targets'));
        return Promise.all(instances.map((i) => describe(deps, i, showEnv)));
      },
    ],
    [
      'env',
      (params) => {
        const p = asObject(params);
        const [instance] = supervisor.resolve(readStringArray(p, 'targets'));
        return instance ? deps.envOf(instance) : {};
      },
    ],
    [
      'logsTail',
      async (params) => {
        const p = asObject(params);
        const lines = readOptionalNumber(p, 'lines') ?? 15;
        if (!Number.isInteger(lines) || lines < 0 || lines > MAX_TAIL_LINES) {
          throw new TendError('INVALID_ARGUMENT', `lines must be a whole number up to ${MAX_TAIL_LINES}, got ${lines}; read the log file itself for more`);
        }
        const stream = readOptionalString(p, 'stream') ?? 'both';
        if (stream !== 'out' && stream !== 'err' && stream !== 'both') throw new TendError('INVALID_ARGUMENT', `stream must be out, err or both, got "${stream}"`);
        const instances = supervisor.resolve(readStringArray(p, 'targets'));
        const files = instances.length * (stream === 'both' ? 2 : 1);
        const maxBytes = Math.max(DESCRIBE_STDERR_BYTES, Math.floor(TAIL_REPLY_BYTES / Math.max(1, files)));
        // One instance at a time: the reads' buffers are never all held at once.
        const tails = [];
        for (const i of instances) tails.push({ id: i.id, name: i.spec.name, instance: i.index, ...(await deps.tailLogs(i, lines, stream, maxBytes)) });
        return tails;
      },
    ],
    [
      'flush',
      async (params) => {
        const p = asObject(params);
        const targets = p.targets === undefined ? null : readStringArray(p, 'targets');
        return deps.flushLogs(targets && targets.length > 0 ? supervisor.resolve(targets) : null);
      },
    ],
    ['reloadLogs', async () => { await deps.reopenLogs(); return { reopened: true }; }],
    [
      'subscribe',
      (params, connection) => {
        const events = readStringArray(asObject(params), 'events');
        for (const event of events) connection.subscriptions.add(event);
        return { subscribed: events };
      },
    ],
    [
      'kill',
      () => {
        deps.shutdown();
        return { stopping: supervisor.allInstances().length };
      },
    ],
  ]);
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
function applyUpdateEnv(supervisor: Supervisor, instances: Instance[], p: Record<string, unknown>): void {
  const entries = p.apps === undefined ? [] : readStartEntries(p.apps);
  const baseEnv = p.baseEnv === undefined ? null : readEnv(p, 'baseEnv');
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

function readSignal(value: string | undefined): NodeJS.Signals {
  const name = (value ?? '').toUpperCase();
  const full = name.startsWith('SIG') ? name : `SIG${name}`;
  if (!Object.hasOwn(osConstants.signals, full)) throw new TendError('INVALID_ARGUMENT', `unknown signal "${value ?? ''}"`);
  return full as NodeJS.Signals;
}

export function readStartEntries(value: unknown): Array<{ spec: AppSpec; baseEnv: Record<string, string> }> {
  if (!Array.isArray(value)) throw new TendError('INVALID_ARGUMENT', '"apps" must be a list of {spec, baseEnv}');
  const specs = readSpecs(value.map((entry: { spec?: unknown }) => entry?.spec));
  return specs.map((spec, index) => ({ spec, baseEnv: readEnv(asObject(value[index]), 'baseEnv') }));
}

/** A structural check of specs from the wire: the CLI built them, but a client may be anything. */
function readSpecs(value: unknown): AppSpec[] {
  if (!Array.isArray(value)) throw new TendError('INVALID_ARGUMENT', '"apps" must be a list of app specs');
  for (const spec of value as Array<Record<string, unknown>>) {
    const ok =
      typeof spec === 'object' && spec !== null &&
      typeof spec.name === 'string' && spec.name.length > 0 &&
      typeof spec.script === 'string' && typeof spec.cwd === 'string' &&
      Number.isInteger(spec.instances) && typeof spec.logs === 'object' && typeof spec.env === 'object';
    if (!ok) throw new TendError('INVALID_ARGUMENT', 'an app spec is missing required fields (name, script, cwd, instances, env, logs)');
    const problem = nameProblem(spec.name as string);
    if (problem !== null) throw new TendError('INVALID_ARGUMENT', `app "${(spec.name as string).slice(0, 64)}": ${problem}`);
  }
  return value as AppSpec[];
}
