import { TendError } from '../core/errors.js';

/** Small readers for request params: the daemon trusts nothing a client sends. */
export function asObject(params: unknown): Record<string, unknown> {
  if (params === undefined || params === null) return {};
  if (typeof params !== 'object' || Array.isArray(params)) throw invalid('params must be an object');
  return params as Record<string, unknown>;
}

export function readStringArray(params: Record<string, unknown>, key: string): string[] {
  const value = params[key];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw invalid(`"${key}" must be a list of strings`);
  return value as string[];
}

export function readOptionalString(params: Record<string, unknown>, key: string): string | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`"${key}" must be a string`);
  return value;
}

export function readOptionalNumber(params: Record<string, unknown>, key: string): number | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`"${key}" must be a number`);
  return value;
}

export function readBoolean(params: Record<string, unknown>, key: string): boolean {
  return params[key] === true;
}

export function readEnv(params: Record<string, unknown>, key: string): Record<string, string> {
  const value = params[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`"${key}" must be an object of strings`);
  const env: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw invalid(`"${key}.${name}" must be a string`);
    env[name] = v;
  }
  return env;
}

function invalid(message: string): TendError {
  return new TendError('INVALID_ARGUMENT', message);
}
