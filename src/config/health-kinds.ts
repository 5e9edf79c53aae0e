/**
 * Kinds of the zero-downtime and health options: `listen` (sockets tend binds and hands to
 * every instance) and the `readiness` / `liveness` probes, with Kubernetes' field names so
 * that exports map one to one. Each parser returns the value or the one-line reason it fails.
 */
import * as v from 'valibot';
import {
  DEFAULT_PROBE_FAILURE_THRESHOLD,
  DEFAULT_PROBE_PERIOD_MS,
  DEFAULT_PROBE_SUCCESS_THRESHOLD,
  DEFAULT_PROBE_TIMEOUT_MS,
  type ListenSpec,
  type ProbeCheck,
  type ProbeSpec,
} from '../core/app-spec.js';
import type { OptionKind } from './option-kinds.js';
import { splitArgs } from './split-args.js';
import { parseDurationMs } from './units.js';

type Parsed<T> = { ok: true; value: T } | { ok: false; why: string };
const fail = <T>(why: string): Parsed<T> => ({ ok: false, why });

/** `host:port`, `[v6]:port`, or a bare port (every IPv4 address). */
export function parseHostPort(text: string): Parsed<{ host: string; port: number }> {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]*)):(\d{1,5})$/.exec(text) ?? /^()()(\d{1,5})$/.exec(text);
  if (match === null) return fail(`"${text}" is not host:port, [v6]:port or a port`);
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return fail(`port ${port} is not from 1 to 65535`);
  const host = match[1] || match[2] || '0.0.0.0';
  return { ok: true, value: { host, port } };
}

/** One `listen` entry: an address string, or `{ address, name }`. Unix paths are resolved later, against cwd. */
export function parseListenEntry(entry: unknown): Parsed<ListenSpec> {
  const address = typeof entry === 'string' ? entry : (entry as { address?: unknown } | null)?.address;
  const name = typeof entry === 'string' ? 'listen' : (entry as { name?: unknown } | null)?.name ?? 'listen';
  if (typeof address !== 'string' || address === '') return fail('each entry is an address string or { address, name }');
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]{1,255}$/.test(name)) return fail(`name ${JSON.stringify(name)} must be letters, digits, _ . or - (it goes in LISTEN_FDNAMES)`);
  if (address.startsWith('unix:')) {
    const path = address.slice('unix:'.length);
    if (path === '') return fail('unix: needs a path');
    return { ok: true, value: { kind: 'unix', host: '', port: 0, path, name, address } };
  }
  const hostPort = parseHostPort(address);
  if (!hostPort.ok) return hostPort;
  return { ok: true, value: { kind: 'tcp', ...hostPort.value, path: '', name, address } };
}

export function parseListen(value: unknown): Parsed<ListenSpec[]> {
  // A string may list several addresses, comma-separated (the --listen flag).
  const entries = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').map((part) => part.trim()) : [value];
  if (entries.length === 0) return fail('give at least one address');
  const out: ListenSpec[] = [];
  for (const entry of entries) {
    const parsed = parseListenEntry(entry);
    if (!parsed.ok) return parsed;
    out.push(parsed.value);
  }
  return { ok: true, value: out };
}

const PROBE_KEYS = new Set(['http', 'tcp', 'exec', 'period_ms', 'timeout_ms', 'failure_threshold', 'success_threshold', 'initial_delay_ms']);

function parseCheck(raw: Record<string, unknown>): Parsed<ProbeCheck> {
  const given = ['http', 'tcp', 'exec'].filter((key) => raw[key] !== undefined);
  if (given.length !== 1) return fail(`give exactly one of http, tcp or exec${given.length > 1 ? ` (got ${given.join(' and ')})` : ''}`);
  if (raw.http !== undefined) {
    if (typeof raw.http !== 'string' || !/^http:\/\/[^/\s]+(\/\S*)?$/.test(raw.http)) return fail('http must be a URL starting with http://');
    return { ok: true, value: { type: 'http', url: raw.http } };
  }
  if (raw.tcp !== undefined) {
    const hostPort = typeof raw.tcp === 'string' || typeof raw.tcp === 'number' ? parseHostPort(String(raw.tcp)) : fail<{ host: string; port: number }>('tcp must be "host:port"');
    if (!hostPort.ok) return hostPort;
    return { ok: true, value: { type: 'tcp', host: hostPort.value.host === '0.0.0.0' ? '127.0.0.1' : hostPort.value.host, port: hostPort.value.port } };
  }
  // Never a shell: a string is split into arguments like a shell would, without expanding anything.
  const argv = typeof raw.exec === 'string' ? splitArgs(raw.exec) : Array.isArray(raw.exec) && raw.exec.every((a) => typeof a === 'string') ? (raw.exec as string[]) : null;
  if (argv === null || argv.length === 0 || argv[0] === '') return fail('exec must be a command string or an array of strings');
  return { ok: true, value: { type: 'exec', argv } };
}

function durationField(raw: Record<string, unknown>, key: string, fallback: number, min: number): Parsed<number> {
  if (raw[key] === undefined) return { ok: true, value: fallback };
  try {
    const ms = parseDurationMs(raw[key] as number | string);
    return ms >= min ? { ok: true, value: ms } : fail(`${key} must be at least ${min} ms`);
  } catch {
    return fail(`${key} must be a duration in ms or a string like "5s"`);
  }
}

function countField(raw: Record<string, unknown>, key: string, fallback: number): Parsed<number> {
  const value = raw[key] ?? fallback;
  return Number.isInteger(value) && (value as number) >= 1 ? { ok: true, value: value as number } : fail(`${key} must be an integer >= 1`);
}

export function parseProbe(value: unknown): Parsed<ProbeSpec> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('a probe is an object such as { http: "http://127.0.0.1:8080/ready" }');
  const raw = value as Record<string, unknown>;
  const unknown = Object.keys(raw).find((key) => !PROBE_KEYS.has(key));
  if (unknown !== undefined) return fail(`unknown probe field ${unknown}`);
  const check = parseCheck(raw);
  const periodMs = durationField(raw, 'period_ms', DEFAULT_PROBE_PERIOD_MS, 100);
  const timeoutMs = durationField(raw, 'timeout_ms', DEFAULT_PROBE_TIMEOUT_MS, 1);
  const initialDelayMs = durationField(raw, 'initial_delay_ms', 0, 0);
  const failureThreshold = countField(raw, 'failure_threshold', DEFAULT_PROBE_FAILURE_THRESHOLD);
  const successThreshold = countField(raw, 'success_threshold', DEFAULT_PROBE_SUCCESS_THRESHOLD);
  for (const part of [check, periodMs, timeoutMs, initialDelayMs, failureThreshold, successThreshold]) if (!part.ok) return part;
  const ok = <T>(p: Parsed<T>): T => (p as { value: T }).value;
  return {
    ok: true,
    value: {
      check: ok(check),
      periodMs: ok(periodMs),
      timeoutMs: ok(timeoutMs),
      failureThreshold: ok(failureThreshold),
      successThreshold: ok(successThreshold),
      initialDelayMs: ok(initialDelayMs),
    },
  };
}

function parsedKind<T>(parse: (value: unknown) => Parsed<T>, expected: string, json: OptionKind<T>['json'], ts: string): OptionKind<T> {
  const schema = v.pipe(
    v.unknown(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const parsed = parse(dataset.value);
      if (parsed.ok) return parsed.value;
      addIssue({ message: parsed.why });
      return NEVER;
    }),
  ) as v.GenericSchema<unknown, T>;
  return {
    schema,
    expected,
    json,
    ts,
    explain: (value) => {
      const parsed = parse(value);
      return parsed.ok ? undefined : parsed.why;
    },
  };
}

const LISTEN_ENTRY_JSON = {
  anyOf: [
    { type: 'string', minLength: 1 },
    { type: 'object', properties: { address: { type: 'string' }, name: { type: 'string' } }, required: ['address'], additionalProperties: false },
  ],
};

export const listenKind = parsedKind(
  parseListen,
  'an address ("127.0.0.1:8080", "[::1]:8080", "unix:/path.sock"), { address, name }, or an array of them',
  { anyOf: [...LISTEN_ENTRY_JSON.anyOf, { type: 'array', items: LISTEN_ENTRY_JSON, minItems: 1 }] },
  'string | { address: string; name?: string } | Array<string | { address: string; name?: string }>',
);

const DURATION_JSON = { anyOf: [{ type: 'number', minimum: 0 }, { type: 'string' }] };

export const probeKind = parsedKind(
  parseProbe,
  'a probe: { http | tcp | exec, period_ms, timeout_ms, failure_threshold, success_threshold, initial_delay_ms }',
  {
    type: 'object',
    properties: {
      http: { type: 'string', pattern: '^http://' },
      tcp: { type: 'string' },
      exec: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      period_ms: DURATION_JSON,
      timeout_ms: DURATION_JSON,
      failure_threshold: { type: 'integer', minimum: 1 },
      success_threshold: { type: 'integer', minimum: 1 },
      initial_delay_ms: DURATION_JSON,
    },
    additionalProperties: false,
  },
  '{ http?: string; tcp?: string; exec?: string | string[]; period_ms?: number | string; timeout_ms?: number | string; failure_threshold?: number; success_threshold?: number; initial_delay_ms?: number | string }',
);
