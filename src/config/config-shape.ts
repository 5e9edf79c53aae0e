/**
 * The top level of an ecosystem file: `{ apps: [...] }` (or PM2's legacy `pm2` key), a bare
 * array, or a single app object; for modules, `export default`, `export const apps` or
 * `module.exports`.
 */
import { TendError } from '../core/errors.js';
import { showValue } from './messages.js';
import { findOption } from './option-table.js';

export interface ConfigApps {
  apps: unknown[];
  warnings: string[];
}

const IGNORED_TOP_LEVEL: Readonly<Record<string, string>> = {
  deploy: 'tend has no deploy command; the deploy section is ignored',
};

/** The config object a module exported, unwrapping ESM namespaces and tsx's default.default. */
export function unwrapModule(exported: unknown): unknown {
  let value = exported;
  for (let depth = 0; depth < 3 && isRecord(value); depth++) {
    if ('default' in value && value.default !== undefined && !('apps' in value)) value = value.default;
    else break;
  }
  return value;
}

export function extractApps(value: unknown, label: string): ConfigApps {
  const invalid = (message: string): TendError => new TendError('CONFIG_INVALID', `${label}: ${message}`);
  if (typeof value === 'function') throw invalid('the config exports a function; export the config object itself');
  if (Array.isArray(value)) return nonEmpty({ apps: value, warnings: [] }, invalid);
  if (!isRecord(value)) {
    throw invalid(`expected { apps: [...] }, an array of apps or one app object, got ${showValue(value)}`);
  }
  const listKey = 'apps' in value ? 'apps' : 'pm2' in value ? 'pm2' : undefined;
  if (listKey === undefined) {
    if (Object.keys(value).some((key) => findOption(key)?.key === 'script')) return { apps: [value], warnings: [] };
    throw invalid(`expected { apps: [...] }, an array of apps or one app object with a script, got ${showValue(value)}`);
  }
  const list = value[listKey];
  const apps = Array.isArray(list) ? list : isRecord(list) ? [list] : undefined;
  if (apps === undefined) throw invalid(`${listKey} must be an array of apps, got ${showValue(list)}`);
  const warnings: string[] = [];
  for (const key of Object.keys(value)) {
    if (key === listKey) continue;
    if (key === 'static') throw invalid('static is not supported: tend does not serve static files');
    const note = IGNORED_TOP_LEVEL[key];
    warnings.push(note ? `${label}: ${note}` : `${label}: unknown top-level key '${key}' is ignored`);
  }
  return nonEmpty({ apps, warnings }, invalid);
}

function nonEmpty(result: ConfigApps, invalid: (message: string) => TendError): ConfigApps {
  if (result.apps.length === 0) throw invalid('the config has no apps');
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
