/**
 * A tiny schema language for request params: each method's params are written once as a
 * schema, the TypeScript type is inferred from it (`Infer`), and the daemon checks what a
 * client sent against the same schema before any handler runs. Hand-written rather than
 * valibot because the daemon loads it at start and it needs only these few shapes.
 */

/** Checks a value; returns it normalised (known fields only, nulls dropped) or a problem. */
export interface Schema<T> {
  /** What is expected, for messages: "a list of strings". */
  readonly expected: string;
  read(value: unknown, path: string): Read<T>;
}

export type Read<T> = { ok: true; value: T } | { ok: false; path: string; expected: string; got: string };

/** A field that may be absent (or null, which counts as absent). */
export interface Optional<T> {
  readonly optional: Schema<T>;
}

type Field = Schema<unknown> | Optional<unknown>;
export type Shape = Record<string, Field>;

export type Infer<S> = S extends Schema<infer T> ? T : never;
type FieldType<F> = F extends Optional<infer T> ? T : F extends Schema<infer T> ? T : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type ObjectOf<F extends Shape> = Simplify<
  { [K in keyof F as F[K] extends Optional<unknown> ? never : K]: FieldType<F[K]> } & {
    [K in keyof F as F[K] extends Optional<unknown> ? K : never]?: FieldType<F[K]>;
  }
>;

/** What a value is, in a message: `a number`, `null`, `a list`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

function fail<T>(path: string, expected: string, value: unknown): Read<T> {
  return { ok: false, path, expected, got: describeValue(value) };
}

/** A schema from a predicate: the value passes unchanged when `test` holds. */
export function custom<T>(expected: string, test: (value: unknown) => boolean): Schema<T> {
  return { expected, read: (value, path) => (test(value) ? { ok: true, value: value as T } : fail(path, expected, value)) };
}

export const string = custom<string>('a string', (v) => typeof v === 'string');
export const boolean = custom<boolean>('true or false', (v) => typeof v === 'boolean');
export const number = custom<number>('a number', (v) => typeof v === 'number' && Number.isFinite(v));
export const integer = custom<number>('a whole number', (v) => typeof v === 'number' && Number.isSafeInteger(v));

export function oneOf<const V extends readonly string[]>(values: V): Schema<V[number]> {
  return custom(`one of ${values.join(', ')}`, (v) => typeof v === 'string' && values.includes(v));
}

export function optional<T>(schema: Schema<T>): Optional<T> {
  return { optional: schema };
}

export function listOf<T>(item: Schema<T>): Schema<T[]> {
  const expected = `a list of ${item.expected.replace(/^an? /, '')}s`.replace(/ss$/, 's');
  return {
    expected,
    read(value, path) {
      if (!Array.isArray(value)) return fail(path, expected, value);
      const out: T[] = [];
      for (let index = 0; index < value.length; index++) {
        const read = item.read(value[index], `${path}[${index}]`);
        if (!read.ok) return read;
        out.push(read.value);
      }
      return { ok: true, value: out };
    },
  };
}

/** An object of string values (an environment). */
export const stringRecord: Schema<Record<string, string>> = {
  expected: 'an object of strings',
  read(value, path) {
    if (!isPlainObject(value)) return fail(path, 'an object of strings', value);
    const out: Record<string, string> = {};
    for (const [key, v] of Object.entries(value)) {
      if (typeof v !== 'string') return fail(`${path}.${key}`, 'a string', v);
      out[key] = v;
    }
    return { ok: true, value: out };
  },
};

/** An object with these fields; other fields are dropped, so a handler sees only what it declared. */
export function object<F extends Shape>(fields: F): Schema<ObjectOf<F>> {
  return {
    expected: 'an object',
    read(value, path) {
      if (!isPlainObject(value)) return fail(path, 'an object', value);
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(fields)) {
        const given = Object.hasOwn(value, key) ? value[key] : undefined;
        const fieldPath = path === '' ? key : `${path}.${key}`;
        const isOptional = 'optional' in field;
        if (isOptional && (given === undefined || given === null)) continue;
        const read = (isOptional ? field.optional : field).read(given, fieldPath);
        if (!read.ok) return read.got === 'undefined' ? { ...read, got: 'nothing' } : read;
        out[key] = read.value;
      }
      return { ok: true, value: out as ObjectOf<F> };
    },
  };
}

/** Params of a method that takes none: absent, null or any object (its fields are ignored). */
export const noParams: Schema<undefined> = {
  expected: 'no params',
  read: (value, path) => (value === undefined || value === null || isPlainObject(value) ? { ok: true, value: undefined } : fail(path, 'an object or nothing', value)),
};

/** Params that are absent read as an empty object, so `{}`-shaped params may be left out. */
export function paramsObject<F extends Shape>(fields: F): Schema<ObjectOf<F>> {
  const inner = object(fields);
  return { expected: inner.expected, read: (value, path) => inner.read(value === undefined || value === null ? {} : value, path) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
