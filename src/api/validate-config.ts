import { TendError } from '../core/errors.js';
import { ConfigProblems, problemsOf } from '../config/index.js';
import { isConfigTarget, resolveStart } from './resolve-start.js';

export interface ValidateInput {
  file: string;
  envName?: string;
  home: string;
  cwd?: string;
  processEnv?: NodeJS.ProcessEnv;
}

export interface ValidationReport {
  /** Names of the apps the file defines, when it is valid. */
  apps: string[];
  warnings: string[];
  /** One line per problem (file, app, option, what is wrong, what is expected); empty when valid. */
  problems: string[];
}

/** Loads a config file as `start` would, without starting anything, and lists every problem. */
export async function validateConfig(input: ValidateInput): Promise<ValidationReport> {
  if (!isConfigTarget(input.file)) {
    throw new TendError('INVALID_ARGUMENT', `${input.file} is not an ecosystem file (.js, .cjs, .mjs, .ts, .json, .yaml, .yml or .toml)`);
  }
  try {
    const resolved = await resolveStart({ target: input.file, envName: input.envName, home: input.home, cwd: input.cwd, processEnv: input.processEnv });
    return { apps: resolved.apps.map((a) => a.spec.name), warnings: resolved.warnings, problems: [] };
  } catch (error) {
    if (!(error instanceof TendError)) throw error;
    return { apps: [], warnings: error instanceof ConfigProblems ? [...error.warnings] : [], problems: problemsOf(error).map((p) => p.message) };
  }
}
