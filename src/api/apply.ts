import type { AppSpec } from '../core/app-spec.js';
import { TendError } from '../core/errors.js';
import { planApply, type ApplyPlan, type ApplyStep } from '../config/apply-plan.js';
import { checkDependencies } from '../config/dependencies.js';
import { ConfigProblems } from '../config/index.js';

export { renderPlan, type ApplyPlan, type ApplyStep } from '../config/apply-plan.js';
import type { TendClient } from './client.js';
import { resolveStart, type ResolvedStart } from './resolve-start.js';

export interface ApplyInput {
  file: string;
  envName?: string;
  prune: boolean;
  home: string;
  cwd?: string;
  processEnv?: NodeJS.ProcessEnv;
}

export interface PreparedApply {
  plan: ApplyPlan;
  apps: ResolvedStart['apps'];
  warnings: string[];
}

/**
 * Loads the file (as `start` would) and plans against the registered apps. `client` null means
 * no daemon runs: everything in the file is new.
 */
export async function prepareApply(client: TendClient | null, input: ApplyInput): Promise<PreparedApply> {
  const resolved = await resolveStart({ target: input.file, envName: input.envName, home: input.home, cwd: input.cwd, processEnv: input.processEnv });
  if (resolved.configFile === null) throw new TendError('INVALID_ARGUMENT', `${input.file} is not an ecosystem file`);
  const running: AppSpec[] = client ? await client.specs() : [];
  // A dependency outside the file must be running now; the file alone could only warn.
  const desiredSpecs = resolved.apps.map((a) => a.spec);
  const { problems } = checkDependencies(desiredSpecs.map((s) => ({ name: s.name, dependsOn: s.dependsOn ?? [] })), resolved.configFile, new Set(running.map((s) => s.name)));
  if (problems.length > 0) throw new ConfigProblems(problems);
  const plan = planApply({ desired: desiredSpecs, running, file: resolved.configFile, prune: input.prune });
  // The file alone could only warn that a dependency must be running; checked above instead.
  const warnings = resolved.warnings.filter((warning) => !/ depends_on ".*" is not an app of this file/.test(warning));
  return { plan, apps: resolved.apps, warnings };
}

export interface ApplyFailure {
  name: string;
  message: string;
}

/**
 * Carries the plan out through the daemon's ordinary requests: deletes first (they free ports),
 * then replacements and updates, then every new app in one start (spawned together behind the
 * start gate). A failing app does not stop the others; each failure is returned.
 */
export async function executeApply(client: TendClient, prepared: PreparedApply): Promise<ApplyFailure[]> {
  const entryOf = (name: string) => {
    const entry = prepared.apps.find((a) => a.spec.name === name);
    if (!entry) throw new TendError('INTERNAL', `apply: no spec for ${name}`);
    return entry;
  };
  const failures: ApplyFailure[] = [];
  const attempt = async (name: string, action: () => Promise<unknown>): Promise<void> => {
    try {
      await action();
    } catch (error) {
      failures.push({ name, message: error instanceof Error ? error.message : String(error) });
    }
  };
  const order: Array<ApplyStep['kind']> = ['delete', 'replace', 'update'];
  for (const kind of order) {
    for (const step of prepared.plan.steps.filter((s) => s.kind === kind)) {
      await attempt(step.name, () => runStep(client, step, () => entryOf(step.name)));
    }
  }
  const fresh = prepared.plan.steps.filter((s) => s.kind === 'start').map((s) => entryOf(s.name));
  if (fresh.length > 0) {
    const started = await client.startApps(fresh);
    for (const instance of started.filter((i) => i.status === 'errored')) {
      failures.push({ name: instance.name, message: `${instance.name} (id ${instance.id}): ${instance.error ?? 'could not start'}` });
    }
  }
  return failures;
}

async function runStep(client: TendClient, step: ApplyStep, entry: () => ResolvedStart['apps'][number]): Promise<void> {
  switch (step.kind) {
    case 'delete':
      await client.delete([step.name]);
      return;
    case 'replace':
      await client.delete([step.name]);
      await client.startApps([entry()]);
      return;
    case 'update': {
      // Fewer instances first (fewer to reload), more after (the new ones start with the new spec).
      if (step.scale && step.scale.to < step.scale.from) await client.scale(step.name, step.scale.to);
      if (step.how === 'restart') await client.restart([step.name], { apps: [entry()] });
      if (step.how === 'reload') await client.reload([step.name], { apps: [entry()] });
      if (step.scale && step.scale.to > step.scale.from) await client.scale(step.name, step.scale.to);
      return;
    }
    case 'start':
      await client.startApps([entry()]);
  }
}
