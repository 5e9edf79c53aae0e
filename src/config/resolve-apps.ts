/**
 * A list of raw apps to validated AppSpecs. All apps are resolved before any is returned, so a
 * config with one bad app yields an error and no apps: nothing starts half-configured. The
 * error carries every problem of every app (ConfigProblems), for `tend validate`.
 */
import { COMMAND_LINE, configError, type AppLocation } from './messages.js';
import { checkDependencies } from './dependencies.js';
import { ProblemList } from './problems.js';
import { resolveApp, type AppResolution } from './resolve-app.js';
import type { ResolveContext, ResolvedConfig } from './types.js';

export function resolveApps(rawApps: unknown[], ctx: ResolveContext): ResolvedConfig {
  return toConfig(resolveEach(rawApps, ctx), ctx);
}

/** resolveApps with the details `--only` filtering needs. */
export function resolveEach(rawApps: unknown[], ctx: ResolveContext): AppResolution[] {
  const source = ctx.source ?? COMMAND_LINE;
  const single = source === COMMAND_LINE && rawApps.length === 1;
  const problems = new ProblemList();
  const resolutions = rawApps.map((raw, index) => problems.attempt(() => resolveApp(raw, { source, index: single ? null : index }, ctx)));
  const seen = new Map<string, number>();
  resolutions.forEach((resolution, index) => {
    if (resolution === undefined) return;
    const first = seen.get(resolution.app.name);
    if (first !== undefined) {
      const at: AppLocation = { source, index, name: resolution.app.name };
      problems.add(configError(at, `name is already used by apps[${first}]; names must be unique`));
    }
    seen.set(resolution.app.name, index);
  });
  const resolved = resolutions.flatMap((r, index) => (r === undefined ? [] : [{ index, name: r.app.name, dependsOn: r.app.dependsOn ?? [], resolution: r }]));
  const dependencies = checkDependencies(resolved, source, null);
  for (const problem of dependencies.problems) problems.add(problem);
  problems.throwIfAny([...resolutions.flatMap((r) => r?.warnings ?? []), ...dependencies.warnings]);
  resolved[0]?.resolution.warnings.push(...dependencies.warnings);
  return resolutions as AppResolution[];
}

export function toConfig(resolutions: AppResolution[], ctx: ResolveContext): ResolvedConfig {
  const warnings = resolutions.flatMap((r) => r.warnings);
  if (ctx.envName !== undefined && resolutions.length > 0 && !resolutions.some((r) => r.hasSelectedEnv)) {
    warnings.push(`${ctx.source ?? COMMAND_LINE}: --env ${ctx.envName}: no app defines env_${ctx.envName}`);
  }
  return { apps: resolutions.map((r) => r.app), warnings };
}
