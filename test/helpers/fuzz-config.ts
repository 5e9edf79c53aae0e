/**
 * The config fuzzer: random ecosystem objects (every real option name, some unknown ones, any
 * JSON value for each) and random text, through the same loader `tend start <file>` and
 * `tend start -` use. The promise: a config either loads or fails with a TendError whose
 * message is one line; nothing else is ever thrown. Shared by the fast test and `npm run chaos`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadConfigText } from '../../src/config/load-config-file.js';
import { allOptionNames } from '../../src/config/option-table.js';
import { isTendError } from '../../src/core/errors.js';

export interface FuzzOutcome {
  /** Cases tried within the time given. */
  runs: number;
  /** Of them, configs that loaded. */
  loaded: number;
  /** The first failing case and what went wrong, or null. */
  failure: string | null;
}

/** Any JSON value, with the shapes options take (numbers as text, sizes, durations) more likely. */
const optionValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1e309',
    'max',
    '10M',
    '1.5G',
    '5s',
    '-3m',
    'NaN',
    'app.js',
    '/',
    '..',
    '__proto__',
    'SIGKILL',
    '* * * * *',
    'root',
    'nobody',
  ),
  fc.integer({ min: -1e6, max: 1e12 }),
  fc.double(),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
);

const optionKey = fc.oneof(
  fc.constantFrom(...allOptionNames()),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'),
  fc.string({ maxLength: 12 }),
);

/** One raw app: a few options, with `script` pointing at a real file most of the time. */
const rawApp = fc
  .tuple(fc.dictionary(optionKey, optionValue, { maxKeys: 6 }), fc.constantFrom('app.js', 'app.js', 'missing.js', undefined))
  .map(([options, script]) => (script === undefined ? options : { script, ...options }));

const ecosystem = fc.oneof(
  { weight: 6, arbitrary: fc.record({ apps: fc.array(rawApp, { maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.array(rawApp, { maxLength: 3 }) },
  { weight: 1, arbitrary: rawApp },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Text that is not JSON: YAML-ish fragments, anchors and aliases, binary noise. */
const rawText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    'apps:\n  - script: app.js\n    instances: *a\n',
    'a: &a [*a]\n',
    'apps: !!binary aGk=\n',
    '<<: {}\n',
    '[[apps]]\n',
  ),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

/** Whether `error` is what a bad config may end in: a TendError with a one-line message. */
function isCleanRefusal(error: unknown): boolean {
  return isTendError(error) && !error.message.includes('\n');
}

/** Runs the fuzzer for about `timeMs` in `dir` (which gets an app.js); `seed` repeats a run. */
export async function fuzzConfigLoader(dir: string, timeMs: number, seed?: number): Promise<FuzzOutcome> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'app.js'), '');
  const opts = { tendHome: join(dir, 'home'), cpuCount: 2, processEnv: { PATH: process.env.PATH } };
  let runs = 0;
  let loaded = 0;
  const attempt = async (text: string): Promise<boolean> => {
    runs += 1;
    try {
      await loadConfigText(text, dir, opts);
      loaded += 1;
      return true;
    } catch (error) {
      if (isCleanRefusal(error)) return true;
      throw error;
    }
  };
  const property = fc.asyncProperty(
    fc.oneof(
      { weight: 4, arbitrary: ecosystem.map((value) => JSON.stringify(value) ?? 'null') },
      { weight: 1, arbitrary: rawText },
    ),
    attempt,
  );
  const details = await fc.check(property, {
    numRuns: Number.MAX_SAFE_INTEGER,
    interruptAfterTimeLimit: timeMs,
    markInterruptAsFailure: false,
    ...(seed === undefined ? {} : { seed }),
  });
  const failure = details.failed
    ? `seed ${details.seed}, input ${JSON.stringify(details.counterexample)}: ${String(details.errorInstance)}`
    : null;
  return { runs, loaded, failure };
}
