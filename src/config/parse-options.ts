/**
 * Turns one raw app object (from a file or from flags) into validated option values under
 * their canonical names, plus env_<name> sets and warnings. Coercion of the string forms that
 * flags produce happens here, in the kinds' valibot schemas.
 */
import * as v from 'valibot';
import { suggestName } from './did-you-mean.js';
import { configError, describeLocation, showValue, type AppLocation } from './messages.js';
import { OPTION_NOTES } from './option-notes.js';
import { envKind } from './option-kinds.js';
import { allOptionNames, findOption, type OptionDef, type ParsedOptions } from './option-table.js';
import { ProblemList } from './problems.js';

export interface ParsedApp {
  options: ParsedOptions;
  /** env_<name> sets by <name>. */
  envSets: Record<string, Record<string, string>>;
  warnings: string[];
  /** One error per rejected option; those options are left out of `options`. */
  problems: ProblemList;
  /** Canonical keys of the rejected options, so checks that need their value are skipped. */
  failed: Set<string>;
}

const ENV_SET_KEY = /^env_(.+)$/;

export function parseAppOptions(raw: unknown, at: AppLocation): ParsedApp {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw configError(at, `an app must be an object, got ${showValue(raw)}`);
  }
  const options: Record<string, unknown> = {};
  const givenAs = new Map<string, string>();
  const envSets: Record<string, Record<string, string>> = {};
  const warnings: string[] = [];
  const problems = new ProblemList();
  const failed = new Set<string>();
  for (const [key, value] of Object.entries(raw)) {
    // undefined is what `{ watch: flags.watch }` produces when a flag was not given.
    if (value === undefined) continue;
    const def = findOption(key);
    if (def) {
      const previous = givenAs.get(def.key);
      if (previous !== undefined) {
        problems.add(configError(at, `${previous} and ${key} are the same option; give only one`));
        continue;
      }
      givenAs.set(def.key, key);
      const parsed = problems.attempt(() => parseValue(def, key, value, at));
      if (parsed === undefined) failed.add(def.key);
      else options[def.key] = parsed;
      continue;
    }
    const envSet = ENV_SET_KEY.exec(key)?.[1];
    if (envSet !== undefined) {
      const parsed = problems.attempt(() => parseValue({ key, kind: envKind, doc: '' }, key, value, at));
      if (parsed !== undefined) envSets[envSet] = parsed as Record<string, string>;
      continue;
    }
    const note = OPTION_NOTES[key];
    if (note?.effect === 'unsupported') problems.add(configError(at, `${key} is not supported: ${note.reason}`));
    else if (note) warnings.push(`${describeLocation(at)} ${key} has no effect in tend: ${note.reason}`);
    else warnings.push(unknownKeyWarning(key, at));
  }
  return { options: options as ParsedOptions, envSets, warnings, problems, failed };
}

function parseValue(def: OptionDef, givenKey: string, value: unknown, at: AppLocation): unknown {
  const result = v.safeParse(def.kind.schema, value);
  if (result.success) return result.output;
  const detail = def.kind.explain?.(value);
  const because = detail === undefined ? '' : ` (${detail})`;
  throw configError(at, `${givenKey} must be ${def.kind.expected}, got ${showValue(value)}${because}`);
}

function unknownKeyWarning(key: string, at: AppLocation): string {
  const suggestion = suggestName(key, [...allOptionNames(), ...Object.keys(OPTION_NOTES)]);
  const hint = suggestion === undefined ? '' : `; did you mean '${suggestion}'?`;
  return `${describeLocation(at)} unknown option '${key}' is ignored${hint}`;
}
