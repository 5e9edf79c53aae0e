/**
 * The control protocol, written once (DESIGN.md §5): every method with the schema of its params
 * (the params type is inferred from it, and the daemon checks requests against it) and the type
 * of its reply, and every event with its payload. The client's `request` and the daemon's
 * handler table are both typed from these maps, so a handler that returns another shape, or a
 * caller that expects one, fails to compile.
 */
import type { AppSpec } from '../core/app-spec.js';
import { nameProblem } from '../core/app-name.js';
import type { DescribeResult, InstanceInfo } from '../core/instance-info.js';
import type { LogLineEvent } from '../core/log-line.js';
import type { HostSample, Sample } from '../core/metrics-sample.js';
import type { ClearDumpResult, DumpAddResult, ResurrectResult, SaveResult } from '../core/persistence.js';
import type { MetricsEvent, WebStatus } from '../core/web.js';
import type { HelloResult } from './protocol.js';
import type { LogsTailResult, PrometheusPage, ReloadResult } from './replies.js';
import {
  type Infer,
  type Schema,
  boolean,
  describeValue,
  integer,
  listOf,
  noParams,
  number,
  object,
  oneOf,
  optional,
  paramsObject,
  string,
  stringRecord,
} from './params-schema.js';

/**
 * A spec from the wire, checked for the fields the daemon relies on: the API built it from a
 * validated config, but a client may be anything.
 */
const appSpec: Schema<AppSpec> = {
  expected: 'an app spec (name, script, cwd, instances, env, logs)',
  read(value, path) {
    const spec = value as Record<string, unknown> | null;
    const ok =
      typeof spec === 'object' && spec !== null && !Array.isArray(spec) &&
      typeof spec.name === 'string' && typeof spec.script === 'string' && typeof spec.cwd === 'string' &&
      Number.isInteger(spec.instances) && typeof spec.logs === 'object' && spec.logs !== null &&
      typeof spec.env === 'object' && spec.env !== null;
    if (!ok) return { ok: false, path, expected: this.expected, got: describeValue(value) };
    const problem = nameProblem(spec.name as string);
    if (problem !== null) return { ok: false, path: `${path}.name`, expected: 'a valid app name', got: `"${(spec.name as string).slice(0, 64)}": ${problem}` };
    return { ok: true, value: spec as unknown as AppSpec };
  },
};

/** An app to run and the environment snapshot it runs with. */
const startEntry = object({ spec: appSpec, baseEnv: stringRecord });
export type StartEntry = Infer<typeof startEntry>;

/** A snapshot, or the index of one in the `envs` of a `start` (see start-envs.ts). */
const snapshotOrIndex: Schema<Record<string, string> | number> = {
  expected: 'an object of strings or the index of one in envs',
  read: (value, path) => (typeof value === 'number' ? integer.read(value, path) : stringRecord.read(value, path)),
};
const packedStartEntry = object({ spec: appSpec, baseEnv: snapshotOrIndex });

const targets = listOf(string);
const targeted = paramsObject({ targets });
/** `--update-env`: new specs and snapshots (a config file given again), or one snapshot for all. */
const updating = { targets, baseEnv: optional(stringRecord), apps: optional(listOf(startEntry)) };
/** Reply once every instance started is online, or fail with the reason one is not (see daemon/settle.ts). */
const wait = optional(boolean);

/** Each method's params, checked by the daemon before its handler runs. */
export const METHOD_PARAMS = {
  hello: paramsObject({ protocol: integer, client: string }),
  ping: noParams,
  list: noParams,
  specs: noParams,
  start: paramsObject({ apps: listOf(packedStartEntry), envs: optional(listOf(stringRecord)), wait }),
  stop: targeted,
  restart: paramsObject({ ...updating, wait }),
  // A reload waits by nature: each replacement is online before the next one starts.
  reload: paramsObject(updating),
  delete: targeted,
  reset: targeted,
  signal: paramsObject({ signal: string, targets }),
  scale: paramsObject({ name: string, count: string }),
  describe: paramsObject({ targets, env: optional(boolean) }),
  env: targeted,
  logsTail: paramsObject({ targets, lines: optional(number), stream: optional(oneOf(['out', 'err', 'both'] as const)) }),
  flush: paramsObject({ targets: optional(targets) }),
  reloadLogs: noParams,
  subscribe: paramsObject({ events: listOf(string) }),
  kill: noParams,
  save: paramsObject({ force: optional(boolean) }),
  resurrect: noParams,
  cleardump: noParams,
  'dump.add': paramsObject({ apps: listOf(startEntry) }),
  'web.start': paramsObject({ port: optional(number), host: optional(string), allowRemote: optional(boolean) }),
  'web.stop': noParams,
  'web.status': noParams,
  'metrics.history': paramsObject({ id: number }),
  'metrics.host': noParams,
  'metrics.prometheus': noParams,
} as const;

/** Each method's reply. */
export interface MethodResults {
  hello: HelloResult;
  ping: { pong: true; pid: number; version: string };
  list: InstanceInfo[];
  /** Each app's spec as registered (env included): what `apply` compares a config file with. */
  specs: AppSpec[];
  start: InstanceInfo[];
  stop: InstanceInfo[];
  restart: InstanceInfo[];
  reload: ReloadResult;
  /** The instances as they were before they went. */
  delete: InstanceInfo[];
  reset: InstanceInfo[];
  signal: InstanceInfo[];
  scale: InstanceInfo[];
  describe: DescribeResult[];
  env: Record<string, string>;
  logsTail: LogsTailResult[];
  /** The log files emptied. */
  flush: string[];
  reloadLogs: { reopened: true };
  subscribe: { subscribed: string[] };
  kill: { stopping: number };
  save: SaveResult;
  resurrect: ResurrectResult;
  cleardump: ClearDumpResult;
  'dump.add': DumpAddResult;
  'web.start': WebStatus;
  'web.stop': WebStatus;
  'web.status': WebStatus;
  /** The sampler's recent samples of one instance, oldest first (about 10 minutes). */
  'metrics.history': Sample[];
  'metrics.host': HostSample | null;
  'metrics.prometheus': PrometheusPage;
}

export type Method = keyof typeof METHOD_PARAMS & keyof MethodResults;
export type ParamsOf<M extends Method> = Infer<(typeof METHOD_PARAMS)[M]>;
export type ResultOf<M extends Method> = MethodResults[M];
/** A request's params as arguments: none for a method without params. */
export type ParamsArgs<M extends Method> = undefined extends ParamsOf<M> ? [params?: ParamsOf<M>] : [params: ParamsOf<M>];

/** Each event a connection may subscribe to, with its payload. */
export interface EventPayloads {
  /** An instance changed state. */
  instance: InstanceInfo;
  /** One line of an app's output. */
  log: LogLineEvent;
  /** cpu and memory that changed since the previous `metrics` event. */
  metrics: MetricsEvent;
  /** Events left out because the connection read too slowly. */
  dropped: { count: number };
}

export type EventName = keyof EventPayloads;
/** An event as a listener receives it: `(event, data)`, narrowed together by the event name. */
export type EventArgs<E extends EventName = EventName> = { [K in E]: [event: K, data: EventPayloads[K]] }[E];

/** True when `name` is a method of the protocol (an own key: `__proto__` is none). */
export function isMethod(name: string): name is Method {
  return Object.hasOwn(METHOD_PARAMS, name);
}

// Every method has both its params and its reply: a method in one map only fails here.
type MissingReply = Exclude<keyof typeof METHOD_PARAMS, keyof MethodResults>;
type MissingParams = Exclude<keyof MethodResults, keyof typeof METHOD_PARAMS>;
const everyMethodComplete: [MissingReply, MissingParams] extends [never, never] ? true : false = true;
void everyMethodComplete;
