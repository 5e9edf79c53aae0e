/**
 * Daemon-wide log rotation defaults from the `logs` section of TEND_HOME/config.json, e.g.
 * `{"logs": {"max_size": "10M", "retain": 5, "compress": true, "rotate_interval": "1d"}}`.
 * They apply where an app leaves the option unset; read once, when the daemon starts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// units.js directly: the config barrel would load valibot and croner into every daemon.
import { parseDurationMs, parseSizeBytes } from '../config/units.js';
import type { RotationOptions } from '../logs/index.js';

/** Missing file or section means no defaults; a bad value throws naming the key. */
export function readLogDefaults(home: string): Partial<RotationOptions> {
  let text: string;
  try {
    text = readFileSync(join(home, 'config.json'), 'utf8');
  } catch {
    return {};
  }
  const logs = (JSON.parse(text) as { logs?: unknown }).logs;
  if (typeof logs !== 'object' || logs === null) return {};
  const section = logs as Record<string, unknown>;
  const defaults: Partial<RotationOptions> = {};
  const read = <T>(key: string, parse: (value: unknown) => T): T | undefined => {
    const value = section[key];
    if (value === undefined) return undefined;
    try {
      return parse(value);
    } catch (error) {
      throw new RangeError(`config.json logs.${key}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };
  const maxSizeBytes = read('max_size', (v) => parseSizeBytes(asNumberOrString(v)));
  const retain = read('retain', (v) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new RangeError(`expected a whole number >= 1, got ${JSON.stringify(v)}`);
    return v;
  });
  const compress = read('compress', (v) => {
    if (typeof v !== 'boolean') throw new RangeError(`expected true or false, got ${JSON.stringify(v)}`);
    return v;
  });
  const rotateIntervalMs = read('rotate_interval', (v) => parseDurationMs(asNumberOrString(v)));
  if (maxSizeBytes !== undefined) defaults.maxSizeBytes = maxSizeBytes;
  if (retain !== undefined) defaults.retain = retain;
  if (compress !== undefined) defaults.compress = compress;
  if (rotateIntervalMs !== undefined) defaults.rotateIntervalMs = rotateIntervalMs;
  return defaults;
}

function asNumberOrString(value: unknown): number | string {
  if (typeof value === 'number' || typeof value === 'string') return value;
  throw new RangeError(`expected a number or a string, got ${JSON.stringify(value)}`);
}
