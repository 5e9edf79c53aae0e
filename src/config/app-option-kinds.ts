/**
 * Kinds that belong to one or two process-manager options (instances, exec_mode, watch,
 * signals, cron, user ids, log paths, filter_env). Generic kinds live in option-kinds.ts.
 */
import { constants } from 'node:os';
import { Cron } from 'croner';
import { normalizeCronSteps } from './cron-steps.js';
import * as v from 'valibot';
import { booleanSchema, integerSchema, textSchema, type OptionKind } from './option-kinds.js';

const SIGNAL_NAMES = Object.keys(constants.signals);

/** Raw instance count: a number (0 and negatives are relative to the CPU count) or 'max'. */
export const instancesKind: OptionKind<number | 'max'> = {
  schema: v.union([integerSchema, v.literal('max')]),
  expected: 'a number, "max" or a negative number',
  json: { anyOf: [{ type: 'integer' }, { const: 'max' }, { type: 'string', pattern: '^-?\\d+$' }] },
  ts: "number | 'max'",
};

export const execModeKind: OptionKind<'fork' | 'cluster'> = {
  schema: v.pipe(
    v.picklist(['fork', 'cluster', 'fork_mode', 'cluster_mode']),
    v.transform((s) => (s.startsWith('cluster') ? 'cluster' : 'fork')),
  ),
  expected: '"fork" or "cluster"',
  json: { enum: ['fork', 'cluster', 'fork_mode', 'cluster_mode'] },
  ts: "'fork' | 'cluster' | 'fork_mode' | 'cluster_mode'",
};

/** true = the app's cwd; false = off; otherwise the paths to watch. */
export const watchKind: OptionKind<boolean | string[]> = {
  schema: v.union([booleanSchema, v.pipe(textSchema, v.transform((s) => [s])), v.array(textSchema)]),
  expected: 'true, false, a path or an array of paths',
  json: { anyOf: [{ type: 'boolean' }, { type: 'string' }, { type: 'array', items: { type: 'string' } }] },
  ts: 'boolean | string | string[]',
};

/** Accepts "SIGTERM", "sigterm" and "TERM"; yields the canonical name. */
export const signalKind: OptionKind<NodeJS.Signals> = {
  schema: v.pipe(
    v.string(),
    v.transform((s) => s.trim().toUpperCase()),
    v.transform((s) => (s.startsWith('SIG') ? s : `SIG${s}`)),
    v.check((s) => SIGNAL_NAMES.includes(s)),
    v.transform((s) => s as NodeJS.Signals),
  ),
  expected: 'a signal name such as "SIGINT" or "SIGTERM"',
  json: { type: 'string', pattern: '^(SIG)?[A-Z0-9]+$' },
  ts: 'NodeJS.Signals | string',
};

/** A croner pattern (seconds allowed; `1/3` steps as in PM2); 0 or "0" disables it, as in PM2. */
export const cronKind: OptionKind<string | null> = {
  schema: v.pipe(
    v.union([v.string(), v.literal(0)]),
    v.transform((s) => (s === 0 || s.trim() === '0' || s.trim() === '' ? null : normalizeCronSteps(s.trim()))),
    v.check((s) => s === null || cronError(s) === null),
  ),
  explain: (value) => (typeof value === 'string' ? (cronError(normalizeCronSteps(value.trim())) ?? undefined) : undefined),
  expected: 'a cron pattern such as "0 3 * * *" (or 0 to disable)',
  json: { anyOf: [{ type: 'string' }, { const: 0 }] },
  ts: 'string | 0',
};

/** A numeric id or a user/group name, resolved later against /etc/passwd and /etc/group. */
export const accountKind: OptionKind<number | string> = {
  schema: v.union([v.pipe(integerSchema, v.minValue(0)), v.pipe(textSchema, v.regex(/^[a-z_][a-z0-9_.-]*\$?$/i))]),
  expected: 'a numeric id or a name',
  json: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string' }] },
  ts: 'number | string',
};

/** A log path; "/dev/null" and "NULL" (PM2's spelling) discard the stream. */
export const logPathKind: OptionKind<string | null> = {
  schema: v.pipe(
    textSchema,
    v.transform((s) => (s === '/dev/null' || s.toUpperCase() === 'NULL' ? null : s)),
  ),
  expected: 'a file path, "/dev/null" or "NULL"',
  json: { type: 'string', minLength: 1 },
  ts: 'string',
};

/** log_file: true = <name>.log in the logs folder, false = none, or a path. */
export const combinedLogKind: OptionKind<boolean | string | null> = {
  schema: v.union([booleanSchema, logPathKind.schema]),
  expected: 'true, false or a file path',
  json: { anyOf: [{ type: 'boolean' }, { type: 'string', minLength: 1 }] },
  ts: 'boolean | string',
};

/** filter_env: true drops the caller's whole environment; strings drop names containing them. */
export const filterEnvKind: OptionKind<boolean | string[]> = {
  schema: v.union([booleanSchema, v.pipe(textSchema, v.transform((s) => [s])), v.array(textSchema)]),
  expected: 'true, false, a string or an array of strings',
  json: { anyOf: [{ type: 'boolean' }, { type: 'string' }, { type: 'array', items: { type: 'string' } }] },
  ts: 'boolean | string | string[]',
};

/** croner's own reason ("Invalid value for minute: 61"), or null when the pattern is valid. */
function cronError(pattern: string): string | null {
  if (pattern === '0' || pattern === '') return null;
  try {
    // Without a callback croner only parses the pattern and schedules nothing.
    new Cron(pattern);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The chokidar options an app may set; the ones tend relies on (ignored, ignoreInitial, persistent) stay tend's. */
export const WATCH_OPTION_NAMES = ['usePolling', 'interval', 'binaryInterval', 'awaitWriteFinish', 'followSymlinks', 'depth', 'atomic', 'ignorePermissionErrors', 'alwaysStat'] as const;

/** watch_options: chokidar's options, passed to the watcher (only those in WATCH_OPTION_NAMES). */
export const watchOptionsKind: OptionKind<Record<string, unknown>> = {
  schema: v.pipe(
    v.record(v.string(), v.unknown()),
    v.check((o) => Object.keys(o).every((k) => (WATCH_OPTION_NAMES as readonly string[]).includes(k))),
  ),
  explain: (value) => {
    if (typeof value !== 'object' || value === null) return undefined;
    const bad = Object.keys(value).filter((k) => !(WATCH_OPTION_NAMES as readonly string[]).includes(k));
    return bad.length > 0 ? `${bad.join(', ')} cannot be set (tend sets ignored, ignoreInitial and persistent itself)` : undefined;
  },
  expected: `an object of chokidar options (${WATCH_OPTION_NAMES.join(', ')})`,
  json: { type: 'object', properties: Object.fromEntries(WATCH_OPTION_NAMES.map((n) => [n, {}])), additionalProperties: false },
  ts: `{ ${WATCH_OPTION_NAMES.map((n) => `${n}?: unknown`).join('; ')} }`,
};
