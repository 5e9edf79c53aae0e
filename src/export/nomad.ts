import type { AppSpec } from '../core/app-spec.js';
import { hostCommand, objectName, portOf } from './command.js';
import { splitEnv } from './secrets.js';
import type { Exporter } from './types.js';

const NS_PER_MS = 1_000_000;

/**
 * Nomad: one service job (`nomad job run -json`), a task group per app with the exec driver,
 * which runs the app's own command on the client and needs no image.
 */
export const exportNomad: Exporter = (apps, options, headerFor) => {
  const id = objectName(options.namespace ?? 'tend');
  const job = {
    // JSON has no comments: the notes ride in the job's Meta.
    Job: {
      ID: id,
      Name: id,
      ...(options.namespace ? { Namespace: options.namespace } : {}),
      Type: 'service',
      Datacenters: ['*'],
      Meta: { 'tend-export': headerFor(apps).join('\n') },
      TaskGroups: apps.map((spec) => taskGroup(spec, id)),
    },
  };
  return [{ name: 'nomad.json', content: `${JSON.stringify(job, null, 2)}\n` }];
};

function taskGroup(spec: AppSpec, jobId: string): Record<string, unknown> {
  const name = objectName(spec.name);
  const port = portOf(spec);
  const attempts = spec.autorestart ? spec.maxRestarts : 0;
  const delayMs = Math.max(spec.restartDelayMs, spec.expBackoffRestartDelayMs);
  return {
    Name: name,
    Count: spec.autostart ? spec.instances : 0,
    RestartPolicy: { Attempts: attempts, Interval: (Math.max(spec.minUptimeMs, 1000) * (attempts + 1) + delayMs * attempts) * NS_PER_MS, Delay: delayMs * NS_PER_MS, Mode: 'fail' },
    ...(spec.autorestart ? {} : { ReschedulePolicy: { Attempts: 0, Unlimited: false } }),
    // As `tend reload`: one allocation at a time, the next once this one is healthy.
    Update: { MaxParallel: 1, MinHealthyTime: Math.max(spec.minUptimeMs, 1000) * NS_PER_MS, HealthyDeadline: Math.max(spec.listenTimeoutMs * 10, 300_000) * NS_PER_MS },
    ...(port !== null ? { Networks: [{ ReservedPorts: [{ Label: 'http', Value: port }] }] } : {}),
    ...(port !== null ? { Services: [service(name, spec)] } : {}),
    Tasks: [task(spec, name, jobId)],
    ...(spec.namespace !== 'default' ? { Meta: { tend_namespace: spec.namespace } } : {}),
  };
}

function service(name: string, spec: AppSpec): Record<string, unknown> {
  const check = spec.waitReady ? { Checks: [{ Name: `${name}-port`, Type: 'tcp', Interval: 1000 * NS_PER_MS, Timeout: 1000 * NS_PER_MS }] } : {};
  return { Name: name, PortLabel: 'http', Provider: 'nomad', ...check };
}

function task(spec: AppSpec, name: string, jobId: string): Record<string, unknown> {
  const env = splitEnv(spec.env);
  const command = hostCommand(spec);
  const variables = { ...env.plain, ...(spec.instances > 1 ? { [spec.instanceVar]: '${NOMAD_ALLOC_INDEX}' } : {}) };
  return {
    Name: name,
    Driver: 'exec',
    // The exec driver has no working-folder option: a shell changes to cwd, then runs the app.
    Config: { command: '/bin/sh', args: ['-c', 'cd "$0" && exec "$@"', spec.cwd, ...command] },
    ...(Object.keys(variables).length > 0 ? { Env: variables } : {}),
    ...(env.secretNames.length > 0 ? { Templates: [secretTemplate(env.secretNames, jobId)] } : {}),
    ...(spec.uid !== null ? { User: String(spec.uid) } : {}),
    KillSignal: spec.killSignal,
    KillTimeout: spec.killTimeoutMs * NS_PER_MS,
    ...(spec.maxMemoryRestartBytes !== null ? { Resources: { MemoryMB: Math.ceil(spec.maxMemoryRestartBytes / 1048576) } } : {}),
  };
}

/** Values come from the Nomad variable nomad/jobs/<job>, which the job may read by default. */
function secretTemplate(names: readonly string[], jobId: string): Record<string, unknown> {
  const lines = names.map((n) => `${n}={{ .${n} | toJSON }}`).join('\n');
  return { EmbeddedTmpl: `{{ with nomadVar "nomad/jobs/${jobId}" }}\n${lines}\n{{ end }}\n`, DestPath: 'secrets/env', Envvars: true };
}
