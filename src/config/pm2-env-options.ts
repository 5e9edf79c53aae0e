/**
 * PM2's environment variables for options tend has. PM2 reads them once, in its daemon, for
 * every app; tend reads them where it resolves a config (the CLI running `start`), as defaults
 * of the apps started from that environment: a flag or a file's option wins, and the value is
 * kept in the app's spec for its restarts.
 */
import * as v from 'valibot';
import { TendError } from '../core/errors.js';
import { showValue } from './messages.js';
import { booleanKind } from './option-kinds.js';
import { findOption, type ParsedOptions } from './option-table.js';

/** Variable -> the app option it gives a default to. */
export const PM2_ENV_OPTIONS: Readonly<Record<string, keyof ParsedOptions>> = {
  PM2_KILL_TIMEOUT: 'kill_timeout',
  PM2_KILL_SIGNAL: 'kill_signal',
  PM2_KILL_USE_MESSAGE: 'shutdown_with_message',
  PM2_GRACEFUL_LISTEN_TIMEOUT: 'listen_timeout',
  PM2_PROCESS_INSTANCE_VAR: 'instance_var',
  PM2_LOG_DATE_FORMAT: 'log_date_format',
};

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { true: true, '1': true, yes: true, false: false, '0': false, no: false };

/** The options the environment gives, validated; a value tend cannot use is a one-line error naming the variable. */
export function readPm2EnvOptions(processEnv: Record<string, string | undefined>): ParsedOptions {
  const options: Record<string, unknown> = {};
  for (const [variable, key] of Object.entries(PM2_ENV_OPTIONS)) {
    const raw = processEnv[variable];
    if (raw === undefined || raw === '') continue;
    const def = findOption(key);
    if (def === undefined) continue;
    const value = def.kind === booleanKind ? (BOOLEAN_WORDS[raw.toLowerCase()] ?? raw) : raw;
    const parsed = v.safeParse(def.kind.schema, value);
    if (!parsed.success) throw new TendError('CONFIG_INVALID', `environment: ${variable} (${key}) must be ${def.kind.expected}, got ${showValue(raw)}`);
    options[key] = parsed.output;
  }
  return options as ParsedOptions;
}

/**
 * An app's options with the environment's defaults under them. PM2_LOG_DATE_FORMAT is the
 * format of timestamps an app asks for (`time`), as in PM2; it never turns them on.
 */
export function withPm2EnvDefaults(options: ParsedOptions, fromEnv: ParsedOptions): ParsedOptions {
  const { log_date_format: dateFormat, ...rest } = fromEnv;
  const merged: ParsedOptions = { ...rest, ...options };
  if (dateFormat !== undefined && options.time === true && options.log_date_format === undefined) merged.log_date_format = dateFormat;
  return merged;
}
