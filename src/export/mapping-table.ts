/**
 * What each app option becomes on each target, and how much of its meaning survives: the one
 * table the exporters check and the README prints (test/unit/export/readme-table.test.ts fails
 * when the two differ; UPDATE_README=1 rewrites the README's copy). A new option is one `row(...)` line: when it is in use for
 * an app, and per target exact (E), approximate (A) or dropped (D) with a few words of how or why.
 */
import { DEFAULT_MAX_RESTARTS, DEFAULT_MIN_UPTIME_MS, DEFAULT_NAMESPACE, type AppSpec } from '../core/app-spec.js';
import { portOf, usesTsxLoader } from './command.js';
import { splitEnv } from './secrets.js';
import type { ExportOptions, ExportTarget, Fidelity } from './types.js';

export interface TargetMapping {
  fidelity: Fidelity;
  /** What the option becomes (exact, approximate) or why it cannot be carried (dropped). */
  note: string;
}

export interface MappingRow {
  option: string;
  /** True when this app's value means something the target has to carry. */
  isUsed: (spec: AppSpec, options: Pick<ExportOptions, 'home'>) => boolean;
  targets: Readonly<Record<ExportTarget, TargetMapping>>;
  /**
   * With --runtime (tend-runtime in each container) a target follows the containerfile column,
   * since tend carries the option, except where this says otherwise.
   */
  underRuntime?: Partial<Record<ExportTarget, TargetMapping>>;
}

const E = (note: string): TargetMapping => ({ fidelity: 'exact', note });
const A = (note: string): TargetMapping => ({ fidelity: 'approximate', note });
const D = (note: string): TargetMapping => ({ fidelity: 'dropped', note });

function row(option: string, isUsed: MappingRow['isUsed'], k8s: TargetMapping, compose: TargetMapping, nomad: TargetMapping, systemd: TargetMapping, containerfile: TargetMapping, underRuntime?: MappingRow['underRuntime']): MappingRow {
  return { option, isUsed, targets: { kubernetes: k8s, compose, nomad, systemd, containerfile }, ...(underRuntime ? { underRuntime } : {}) };
}

const always = (): boolean => true;
const hasCustomLogs = (spec: AppSpec, { home }: Pick<ExportOptions, 'home'>): boolean => {
  const own = (path: string | null) => path === null || !path.startsWith(`${home}/logs/`);
  return own(spec.logs.outFile) || own(spec.logs.errorFile) || spec.logs.combinedFile !== null || spec.logs.mergeLogs;
};
const TEND_RUNTIME = E('tend-runtime runs it');

export const MAPPING_TABLE: readonly MappingRow[] = [
  row('script, args, interpreter, interpreter_args', always, E('container command (paths under cwd moved to /app)'), E('command (paths under cwd moved to /app)'), E('exec driver command and args'), E('ExecStart='), E('CMD: tend-runtime with the ecosystem file')),
  row('TypeScript script (tend runs it with tsx)', usesTsxLoader, A('node --import tsx: the image needs tsx in its node_modules'), A('node --import tsx: the image needs tsx in its node_modules'), E("tend's tsx loader on this machine"), E("tend's tsx loader on this machine"), TEND_RUNTIME),
  row('cwd', always, E('workingDir /app'), E('working_dir /app'), A('sh -c "cd <cwd>" in the exec driver: the folder must be inside its chroot (chroot_env)'), E('WorkingDirectory='), E('WORKDIR /app (the build context)')),
  row('env', (s) => Object.keys(splitEnv(s.env).plain).length > 0, E('ConfigMap, envFrom'), E('environment'), E('env'), E('Environment='), E('in the ecosystem file')),
  row('env (secret names: *_KEY, *_SECRET, *_TOKEN, *PASSWORD*)', (s) => splitEnv(s.env).secretNames.length > 0, E('secretKeyRef to the Secret <app>-secrets (values not written)'), E('${NAME:?} from the deploying shell (values not written)'), E('template from the Nomad variable nomad/jobs/<app> (values not written)'), E('EnvironmentFile=/etc/tend/<app>.env (values not written)'), A('the ecosystem file is copied into the image: read them from process.env there and pass them with -e at run time')),
  row('inherited shell environment (no filter_env)', (s) => s.filterEnv !== true, A('not carried: only configured env'), A('not carried: only configured env'), A('not carried: only configured env'), A('not carried: only configured env'), A('the container environment')),
  row('port / PORT', (s) => s.env.PORT !== undefined, E('containerPort and a Service'), E('ports (host port chosen by Docker when instances > 1)'), E('network port (static)'), E('Environment=PORT'), E('EXPOSE')),
  row('instances', (s) => s.instances > 1, E('replicas'), E('deploy.replicas'), E('group count'), E('template unit <app>@.service, one per index'), TEND_RUNTIME),
  row('exec_mode: cluster', (s) => s.execMode === 'cluster', A('one process per pod; the Service balances'), A('one process per replica, each with its own port mapping'), A('one process per allocation'), A('one process per unit instance'), TEND_RUNTIME),
  row('one port shared by cluster instances', (s) => s.execMode === 'cluster' && s.instances > 1 && portOf(s) !== null, E('each pod has its own address'), A('each replica gets its own host port'), A('allocations with the same static port go to different nodes'), D('unit instances on one host cannot share a port (Node 20 has no SO_REUSEPORT)'), TEND_RUNTIME),
  row('instance_var', (s) => s.instances > 1, A('every replica sees 0 (Deployments have no ordinal)'), A('every replica sees 0'), E('${NOMAD_ALLOC_INDEX}'), E('%i of the template unit'), TEND_RUNTIME),
  row('increment_var', (s) => s.incrementVar !== null && s.instances > 1, A('every replica gets the base value (each pod has its own address)'), A('every replica gets the base value'), A('every allocation gets the base value'), D('systemd cannot add the instance index to a variable'), TEND_RUNTIME),
  row('autorestart: false', (s) => !s.autorestart, D('a Deployment always restarts its pods'), E('restart: "no"'), E('restart attempts 0, mode fail'), E('Restart=no'), TEND_RUNTIME, { kubernetes: D('tend-runtime exits with the app, and the Deployment starts the pod again') }),
  row('autostart: false', (s) => !s.autostart, A('replicas 0'), A('deploy.replicas 0'), A('count 0'), E('no [Install] section: the unit is not enabled'), TEND_RUNTIME),
  row('max_restarts, min_uptime', (s) => s.autorestart && (s.maxRestarts !== DEFAULT_MAX_RESTARTS || s.minUptimeMs !== DEFAULT_MIN_UPTIME_MS), A('never gives up: Kubernetes backs off (CrashLoopBackOff)'), A('never gives up: restart unless-stopped'), A('restart attempts per interval (min_uptime x max_restarts)'), A('StartLimitBurst= per StartLimitIntervalSec='), TEND_RUNTIME),
  row('restart_delay', (s) => s.restartDelayMs > 0, A("Kubernetes' own back-off (10 s doubling)"), A("Docker's own back-off (doubling from 100 ms)"), E('restart delay'), E('RestartSec='), TEND_RUNTIME),
  row('exp_backoff_restart_delay', (s) => s.expBackoffRestartDelayMs > 0, A("Kubernetes' own back-off"), A("Docker's own back-off"), A('restart delay (fixed)'), A('RestartSec= (fixed)'), TEND_RUNTIME),
  row('stop_exit_codes', (s) => s.stopExitCodes.length > 0, D('pods restart on every exit'), D('Docker restarts on every failing exit'), D('Nomad restarts on every exit'), E('RestartPreventExitStatus='), TEND_RUNTIME),
  row('kill_signal (other than SIGTERM)', (s) => s.killSignal !== 'SIGTERM', A('Kubernetes sends SIGTERM'), E('stop_signal'), E('kill_signal'), E('KillSignal='), TEND_RUNTIME),
  row('kill_timeout', always, A('terminationGracePeriodSeconds (whole seconds, rounded up)'), E('stop_grace_period'), E('kill_timeout'), E('TimeoutStopSec='), TEND_RUNTIME),
  row('treekill: false', (s) => !s.treekill, A('the container stops as a whole'), A('the container stops as a whole'), A('the task stops as a whole'), E('KillMode=process'), TEND_RUNTIME),
  row('shutdown_with_message', (s) => s.shutdownWithMessage, D('no IPC channel: the app gets SIGTERM'), D('no IPC channel: the app gets stop_signal'), D('no IPC channel: the app gets kill_signal'), D('no IPC channel: the app gets KillSignal'), TEND_RUNTIME),
  row('wait_ready, listen_timeout', (s) => s.waitReady, A('readiness probe: TCP connect to PORT (none without a port)'), A('healthcheck: TCP connect to PORT (none without a port)'), A('service check: TCP to the port (none without a port)'), A('Type=simple: started counts as ready'), E('tend-runtime --health-port answers /ready once the app is online')),
  row('max_memory_restart', (s) => s.maxMemoryRestartBytes !== null, A('memory limit: the pod is OOM-killed and restarted'), A('deploy.resources.limits.memory'), A('resources MemoryMB: the task is killed and restarted'), A('MemoryMax= (the kernel kills, Restart= restarts)'), TEND_RUNTIME),
  row('readiness, liveness (probes)', (s) => Boolean(s.readiness) || Boolean(s.liveness), A('readinessProbe, livenessProbe one to one (seconds rounded up; an http probe goes to the pod, not the host in its URL)'), D('healthcheck is one liveness-like check: not written yet'), D('service checks: not written yet'), D('systemd has no probes'), TEND_RUNTIME),
  row('listen (sockets handed to the app)', (s) => (s.listen ?? []).length > 0, D('the app would get no inherited socket: use --runtime'), D('the app would get no inherited socket: use --runtime'), D('no inherited socket: not written yet'), D('a .socket unit with ListenStream=: not written yet'), TEND_RUNTIME, { kubernetes: TEND_RUNTIME, compose: TEND_RUNTIME }),
  row('ready (notify, fd), watchdog_ms', (s) => s.readyProtocol !== undefined && s.readyProtocol !== null, D('no readiness protocol: use --runtime'), D('no readiness protocol: use --runtime'), D('no readiness protocol'), D('Type=notify and WatchdogSec=: not written yet'), TEND_RUNTIME, { kubernetes: TEND_RUNTIME, compose: TEND_RUNTIME }),
  row('depends_on', (s) => (s.dependsOn ?? []).length > 0, D('a Deployment has no start order: use an init container or readiness'), A('depends_on, condition service_started: compose does not wait for readiness unless the dependency has a healthcheck'), D('a job has no start order between groups'), A('After= and Requires= on <name>.service: ordered by start, not by readiness'), TEND_RUNTIME),
  row('cron_restart', (s) => s.cronRestart !== null, A('CronJob (node from --image) restarting the Deployment as kubectl rollout restart, in the cluster time zone'), D('compose has no schedule'), D('a service job has no schedule'), E('<app>-restart.timer and .service'), TEND_RUNTIME),
  row('watch', (s) => s.watch !== null, D('images are immutable'), D('images are immutable'), D('no file watching'), D('no file watching'), TEND_RUNTIME),
  row('out_file, error_file, log_file, merge_logs', hasCustomLogs, A('container log (kubectl logs)'), A('container log (docker compose logs)'), A('allocation logs (nomad alloc logs)'), A('the journal (journalctl -u)'), A('stdout and stderr of the container')),
  row('time, log_date_format', (s) => s.logs.time, A('kubectl logs --timestamps'), A('docker compose logs --timestamps'), A('no timestamps added'), A('the journal timestamps each line'), A('no timestamps added')),
  row('log_type: json', (s) => s.logs.logType === 'json', A('lines as written'), A('lines as written'), A('lines as written'), A('lines as written'), E('tend-runtime --json')),
  row('max_size, retain, compress, rotate_interval', (s) => s.logs.maxSizeBytes > 0 || s.logs.rotateIntervalMs > 0, A("the kubelet's log rotation"), A('logging options max-size, max-file'), A('logs max_file_size, max_files'), A("journald's rotation"), A("the container engine's log rotation")),
  row('uid, gid', (s) => s.uid !== null || s.gid !== null, E('securityContext runAsUser, runAsGroup'), E('user'), A('user (the exec driver takes a name: check it exists)'), E('User=, Group='), E('USER')),
  row('namespace', (s) => s.namespace !== DEFAULT_NAMESPACE, A('label tend.namespace (--namespace sets a Kubernetes namespace)'), A('label tend.namespace'), A('meta tend_namespace'), A('comment only'), TEND_RUNTIME),
];

export interface Assessment {
  approximations: string[];
  dropped: string[];
}

/** What a row becomes on a target, in the container's own way or under tend-runtime (--runtime). */
export function mappingFor(row: MappingRow, target: ExportTarget, runtime: boolean): TargetMapping {
  return runtime ? (row.underRuntime?.[target] ?? row.targets.containerfile) : row.targets[target];
}

/** Which options of these apps a target carries only approximately, or not at all. */
export function assessApps(apps: readonly AppSpec[], target: ExportTarget, options: Pick<ExportOptions, 'home' | 'runtime'>): Assessment {
  const assessment: Assessment = { approximations: [], dropped: [] };
  for (const spec of apps) {
    for (const mapping of MAPPING_TABLE) {
      if (!mapping.isUsed(spec, options)) continue;
      const { fidelity, note } = mappingFor(mapping, target, options.runtime);
      const line = `${spec.name}: ${mapping.option}: ${note}`;
      if (fidelity === 'approximate') assessment.approximations.push(line);
      if (fidelity === 'dropped') assessment.dropped.push(line);
    }
  }
  return assessment;
}
