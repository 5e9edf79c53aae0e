import type { AppSpec } from '../core/app-spec.js';

/**
 * The exact environment one instance gets: the CLI's snapshot, then the configured env, then
 * tend's documented variables (TEND_HOME of the daemon, TEND_APP_NAME, TEND_ID, the instance var). Nothing else of the daemon's own environment leaks in.
 */
export function buildInstanceEnv(
  baseEnv: Readonly<Record<string, string>>,
  spec: Pick<AppSpec, 'env' | 'name' | 'instanceVar' | 'incrementVar' | 'listen' | 'readyProtocol' | 'watchdogMs'>,
  id: number,
  instance: number,
  tendHome?: string,
): Record<string, string> {
  const env: Record<string, string> = { ...baseEnv, ...spec.env };
  // An app that runs `tend` reaches the daemon that runs it, whatever its snapshot held
  // (filter_env, a shell without TEND_HOME); only its configured env may say otherwise.
  if (tendHome !== undefined && spec.env.TEND_HOME === undefined) env.TEND_HOME = tendHome;
  env.TEND_APP_NAME = spec.name;
  env.TEND_ID = String(id);
  env[spec.instanceVar] = String(instance);
  if (spec.incrementVar) {
    const start = Number(env[spec.incrementVar]);
    if (Number.isFinite(start)) env[spec.incrementVar] = String(start + instance);
  }
  Object.assign(env, handoffEnv(spec));
  return env;
}

/** The first fd after the inherited sockets: where a `ready: 'fd'` app writes its newline. */
export function readyFdOf(spec: Pick<AppSpec, 'listen'>): number {
  return 3 + (spec.listen?.length ?? 0);
}

/**
 * systemd's and s6's variables for what the instance inherits. LISTEN_PID is the app's own
 * pid, known only once it runs: the start gate sets it just before exec (fork-driver.ts).
 */
function handoffEnv(spec: Pick<AppSpec, 'listen' | 'readyProtocol' | 'watchdogMs'>): Record<string, string> {
  const env: Record<string, string> = {};
  const listen = spec.listen ?? [];
  if (listen.length > 0) {
    env.LISTEN_FDS = String(listen.length);
    env.LISTEN_FDNAMES = listen.map((entry) => entry.name).join(':');
  }
  if (spec.readyProtocol === 'fd') env.READY_FD = String(readyFdOf(spec));
  if (spec.readyProtocol === 'notify' && (spec.watchdogMs ?? 0) > 0) env.WATCHDOG_USEC = String((spec.watchdogMs ?? 0) * 1000);
  return env;
}
