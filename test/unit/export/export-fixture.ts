import { DEFAULT_KILL_SIGNAL, type AppSpec } from '../../../src/core/app-spec.js';
import type { ExportOptions } from '../../../src/export/index.js';

/** Secret values the tests look for in every output: none may ever appear. */
export const SECRET_VALUES = ['sk_live_do-not-leak', 'hunter2-do-not-leak', 'tok-do-not-leak'];

export const FIXTURE_HOME = '/home/shop/.tend';

function spec(root: string, node: string, name: string, overrides: Partial<AppSpec>): AppSpec {
  return {
    name,
    namespace: 'default',
    script: `${root}/${name}.js`,
    args: [],
    interpreter: node,
    interpreterArgs: [],
    cwd: root,
    execMode: 'fork',
    instances: 1,
    env: {},
    instanceVar: 'NODE_APP_INSTANCE',
    incrementVar: null,
    autorestart: true,
    autostart: true,
    stopExitCodes: [],
    minUptimeMs: 1000,
    maxRestarts: 16,
    restartDelayMs: 0,
    expBackoffRestartDelayMs: 0,
    killSignal: DEFAULT_KILL_SIGNAL,
    killTimeoutMs: 1600,
    shutdownWithMessage: false,
    waitReady: false,
    listenTimeoutMs: 3000,
    treekill: true,
    logs: {
      outFile: `${FIXTURE_HOME}/logs/${name}-out.log`,
      errorFile: `${FIXTURE_HOME}/logs/${name}-error.log`,
      combinedFile: null,
      mergeLogs: false,
      time: false,
      dateFormat: null,
      logType: 'raw',
      maxSizeBytes: 0,
      retain: 30,
      compress: false,
      rotateIntervalMs: 0,
    },
    maxMemoryRestartBytes: null,
    watch: null,
    ignoreWatch: [],
    watchDelayMs: 0,
    cronRestart: null,
    uid: null,
    gid: null,
    force: false,
    configFile: `${root}/ecosystem.config.js`,
    filterEnv: true,
    ...overrides,
  };
}

/**
 * A shop: a clustered web app with secrets, a worker restarted by cron, and a one-shot job;
 * between them most options that a target maps. `root` and `node` are real paths where a
 * validator checks that they exist (systemd-analyze), and fixed ones in the golden files.
 */
export function shopApps(root = '/srv/shop', node = '/usr/bin/node'): AppSpec[] {
  return [
    spec(root, node, 'web', {
      execMode: 'cluster',
      instances: 3,
      env: { NODE_ENV: 'production', PORT: '3000', STRIPE_API_KEY: SECRET_VALUES[0]!, DB_PASSWORD: SECRET_VALUES[1]!, GREETING: 'it costs $5, 100%' },
      killSignal: 'SIGTERM',
      killTimeoutMs: 5000,
      waitReady: true,
      listenTimeoutMs: 8000,
      maxMemoryRestartBytes: 512 * 1048576,
      interpreterArgs: ['--max-old-space-size=384'],
      uid: 1000,
      gid: 1000,
    }),
    spec(root, node, 'mailer', {
      script: `${root}/workers/mailer.js`,
      args: ['--queue', 'mail'],
      env: { QUEUE_URL: 'redis://127.0.0.1:6379', SMTP_TOKEN: SECRET_VALUES[2]! },
      restartDelayMs: 2000,
      cronRestart: '30 4 * * 1-5',
      stopExitCodes: [0],
      treekill: false,
    }),
    spec(root, node, 'migrate', { autorestart: false, args: ['up'] }),
  ];
}

export function exportOptions(overrides: Partial<ExportOptions> = {}): ExportOptions {
  return { image: 'registry.example/shop:1.4.2', namespace: null, allowLossy: true, home: FIXTURE_HOME, configFile: '/srv/shop/ecosystem.config.js', envName: 'production', runtime: false, ...overrides };
}
