/** Ecosystem files and command-line options to validated AppSpecs. */
export type { AppConfig, EcosystemConfig, EnvValues } from './app-config.js';
export { defineConfig } from './define-config.js';
export { buildEnvSnapshot } from './env-build.js';
export { DEFAULT_CONFIG_NAMES, findDefaultConfig, isConfigFile } from './find-config.js';
export { tsxLoaderUrl } from './interpreter.js';
export { buildJsonSchema } from './json-schema.js';
export { loadConfigFile, loadConfigText, loadConfigValue, type LoadConfigOptions } from './load-config-file.js';
export { DEFAULT_LOG_RETAIN, logFileStem } from './log-spec.js';
export { COMMAND_LINE } from './messages.js';
export { DEFAULT_IGNORE_WATCH } from './resolve-app.js';
export { mapPm2Dump, resolvePm2Apps, type Pm2ImportedApp, type Pm2Mapping, type ResolvedPm2Apps } from './pm2-dump.js';
export { ConfigProblems, problemsOf } from './problems.js';
export { resolveApps } from './resolve-apps.js';
export { splitArgs } from './split-args.js';
export type { ResolveContext, ResolvedApp, ResolvedConfig } from './types.js';
export { parseDurationMs, parseSizeBytes } from './units.js';
