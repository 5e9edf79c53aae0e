/**
 * The value kinds an app option can have. Each kind carries its valibot schema (which also
 * coerces the string forms that CLI flags produce), the phrase used in error messages, and
 * its JSON Schema and TypeScript type, so the validator, the shipped schema and the
 * `AppConfig` type all come from the same place.
 */
import * as v from 'valibot';
import { splitArgs } from './split-args.js';
import { parseDurationMs, parseSizeBytes } from './units.js';

export type JsonSchema = { [key: string]: unknown };

export interface OptionKind<T> {
  schema: v.GenericSchema<unknown, T>;
  /** Completes "<option> must be ...". */
  expected: string;
  json: JsonSchema;
  ts: string;
  /** A more precise reason for a rejected value, when the kind knows one. */
  explain?: (value: unknown) => string | undefined;
}

function kind<T>(expected: string, json: JsonSchema, ts: string, schema: v.GenericSchema<unknown, T>): OptionKind<T> {
  return { schema, expected, json, ts };
}

const INTEGER_STRING = /^-?\d+$/;
const integerString = v.pipe(v.string(), v.regex(INTEGER_STRING), v.transform(Number));
const anyInteger = v.union([v.pipe(v.number(), v.integer()), integerString]);
const boolean = v.union([v.boolean(), v.pipe(v.picklist(['true', 'false']), v.transform((s) => s === 'true'))]);
const text = v.pipe(v.string(), v.minLength(1));
const textList = v.union([v.pipe(text, v.transform((s) => [s])), v.array(text)]);
const scalar = v.union([v.string(), v.number(), v.boolean()]);

export const stringKind = kind('a non-empty string', { type: 'string', minLength: 1 }, 'string', text);

export const booleanKind = kind('true or false', { type: 'boolean' }, 'boolean', boolean);

export function integerKind(min: number, max = Number.MAX_SAFE_INTEGER): OptionKind<number> {
  const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  const json = { type: 'integer', minimum: min, ...(max === Number.MAX_SAFE_INTEGER ? {} : { maximum: max }) };
  return kind(range, json, 'number', v.pipe(anyInteger, v.minValue(min), v.maxValue(max)));
}

function unitKind(expected: string, example: string, parse: (value: number | string) => number): OptionKind<number> {
  const schema = v.pipe(
    v.union([v.number(), v.string()]),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      try {
        return parse(dataset.value);
      } catch {
        addIssue({ message: expected });
        return NEVER;
      }
    }),
  );
  const json = {
    anyOf: [
      { type: 'number', minimum: 0 },
      { type: 'string', pattern: example },
    ],
  };
  return kind(expected, json, 'number | string', schema);
}

export const durationKind = unitKind(
  'a duration in ms or a string like "10s", "5m", "250ms"',
  '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h|d)?\\s*$',
  parseDurationMs,
);

export const sizeKind = unitKind(
  'a size in bytes or a string like "200M", "10K", "1G"',
  '^\\s*\\d+(\\.\\d+)?\\s*([bkmgtBKMGT](i?[bB])?)?\\s*$',
  parseSizeBytes,
);

/** A string (one item) or an array of strings. */
export const stringListKind = kind(
  'a string or an array of strings',
  { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
  'string | string[]',
  textList,
);

/** Arguments: an array (kept as given) or one string split like a shell would split it. */
export const argListKind = kind(
  'a string or an array of strings',
  { anyOf: [{ type: 'string' }, { type: 'array', items: { type: ['string', 'number'] } }] },
  'string | Array<string | number>',
  v.union([
    v.pipe(v.string(), v.transform(splitArgs)),
    v.array(v.pipe(v.union([v.string(), v.number()]), v.transform(String))),
  ]),
);

export const exitCodesKind = kind(
  'an exit code or an array of exit codes (integers 0-255)',
  { anyOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' } }] },
  'number | number[]',
  v.union([
    v.pipe(anyInteger, v.minValue(0), v.maxValue(255), v.transform((n) => [n])),
    v.array(v.pipe(anyInteger, v.minValue(0), v.maxValue(255))),
  ]),
);

/** Environment variables: objects become JSON, scalars strings, null/undefined unset. */
export const envKind = kind(
  'an object of variable names to strings, numbers or booleans',
  { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'object', 'array', 'null'] } },
  'Record<string, string | number | boolean | object | null | undefined>',
  v.pipe(v.record(v.string(), v.unknown()), v.transform(stringifyEnv)),
);

export function picklistKind<const T extends readonly [string, ...string[]]>(values: T): OptionKind<T[number]> {
  const expected = `one of ${values.map((s) => JSON.stringify(s)).join(', ')}`;
  return kind(expected, { enum: [...values] }, values.map((s) => JSON.stringify(s)).join(' | '), v.picklist(values));
}

export const anyKind = kind('any value', {}, 'unknown', v.unknown());

export { boolean as booleanSchema, text as textSchema, scalar as scalarSchema, anyInteger as integerSchema };

function stringifyEnv(input: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === null || value === undefined) continue;
    out[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return out;
}
