import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { join } from 'node:path';
import { isTendError } from '../../../src/core/errors.js';
import { resolveApps, tsxLoaderUrl, type ResolveContext } from '../../../src/config/index.js';
import { makeTempDir } from './temp-dir.js';

const dir = makeTempDir();
after(() => dir.remove());
dir.write('app.js', '');
dir.write('server.ts', '');
dir.write('job.py', '');
dir.write('run.sh', '');
dir.write('bin/tool', '#!/bin/sh\n', 0o755);
dir.write('.env', 'FROM_FILE=1\nSHARED=file\n');

const ctx: ResolveContext = {
  cwd: dir.path,
  tendHome: '/home/u/.tend',
  cpuCount: 4,
  source: 'ecosystem.config.js',
  processEnv: { PATH: process.env.PATH },
};

function one(raw: Record<string, unknown>, extra: Partial<ResolveContext> = {}) {
  const config = resolveApps([raw], { ...ctx, ...extra });
  assert.equal(config.apps.length, 1);
  return { app: config.apps[0]!, warnings: config.warnings };
}

function failure(raw: unknown[], extra: Partial<ResolveContext> = {}): { code: string; message: string } {
  try {
    resolveApps(raw, { ...ctx, ...extra });
  } catch (error) {
    assert.ok(isTendError(error), String(error));
    assert.ok(!error.message.includes('\n'), `one line: ${error.message}`);
    return { code: error.code, message: error.message };
  }
  throw new Error('expected an error');
}

describe('defaults', () => {
  it("fills PM2's defaults", () => {
    const { app, warnings } = one({ script: 'app.js' });
    assert.deepEqual(warnings, []);
    assert.equal(app.name, 'app');
    assert.equal(app.namespace, 'default');
    assert.equal(app.script, join(dir.path, 'app.js'));
    assert.equal(app.interpreter, process.execPath);
    assert.equal(app.execMode, 'fork');
    assert.equal(app.instances, 1);
    assert.equal(app.minUptimeMs, 1000);
    assert.equal(app.maxRestarts, 16);
    assert.equal(app.killTimeoutMs, 1600);
    assert.equal(app.listenTimeoutMs, 3000);
    assert.equal(app.killSignal, 'SIGINT');
    assert.equal(app.instanceVar, 'NODE_APP_INSTANCE');
    assert.equal(app.autorestart, true);
    assert.equal(app.treekill, true);
    assert.equal(app.watch, null);
    assert.equal(app.logs.outFile, '/home/u/.tend/logs/app-out.log');
    assert.equal(app.logs.errorFile, '/home/u/.tend/logs/app-error.log');
    assert.equal(app.logs.combinedFile, null);
    assert.equal(app.filterEnv, false);
  });
});

describe('PM2 aliases and CLI string forms', () => {
  it('reads every alias as its option', () => {
    const { app } = one({
      exec: 'app.js', node_args: '--max-old-space-size=256', output: 'out.log', err: '/dev/null',
      log: true, combine_logs: 'true', cron: '*/5 * * * *', exec_interpreter: 'node', instances: '2',
      exec_mode: 'fork_mode', kill_timeout: '3s', max_memory_restart: '200M', stop_exit_codes: '0',
      max_restarts: '3', autorestart: 'false', watch: 'true', port: '8080',
    });
    assert.equal(app.script, join(dir.path, 'app.js'));
    assert.deepEqual(app.interpreterArgs, ['--max-old-space-size=256']);
    assert.equal(app.logs.outFile, join(dir.path, 'out.log'));
    assert.equal(app.logs.errorFile, null);
    assert.equal(app.logs.combinedFile, '/home/u/.tend/logs/app.log');
    assert.equal(app.logs.mergeLogs, true);
    assert.equal(app.cronRestart, '*/5 * * * *');
    assert.equal(app.instances, 2);
    assert.equal(app.execMode, 'fork');
    assert.equal(app.killTimeoutMs, 3000);
    assert.equal(app.maxMemoryRestartBytes, 200 * 1024 * 1024);
    assert.deepEqual(app.stopExitCodes, [0]);
    assert.equal(app.maxRestarts, 3);
    assert.equal(app.autorestart, false);
    assert.deepEqual(app.watch, [dir.path]);
    assert.equal(app.env.PORT, '8080');
  });
  for (const alias of ['cmd', 'command', 'script']) {
    it(`${alias} names the script`, () => assert.equal(one({ [alias]: 'app.js' }).app.name, 'app'));
  }
  it('rejects two aliases of one option', () => {
    const { message } = failure([{ script: 'app.js', out: 'a.log', out_file: 'b.log' }]);
    assert.match(message, /out and out_file are the same option/);
  });
});

describe('instances and exec mode', () => {
  const cases: Array<[Record<string, unknown>, number, string]> = [
    [{ instances: 'max' }, 4, 'cluster'], [{ instances: 0 }, 4, 'cluster'], [{ instances: -1 }, 3, 'cluster'],
    [{ instances: 2, exec_mode: 'fork' }, 2, 'fork'], [{ exec_mode: 'cluster_mode' }, 1, 'cluster'], [{}, 1, 'fork'],
  ];
  for (const [raw, instances, mode] of cases) {
    it(`${JSON.stringify(raw)} -> ${instances} ${mode}`, () => {
      const { app } = one({ script: 'app.js', ...raw });
      assert.equal(app.instances, instances);
      assert.equal(app.execMode, mode);
    });
  }
  it('a non-node app given instances stays in fork mode', () => {
    assert.equal(one({ script: 'run.sh', instances: 2 }).app.execMode, 'fork');
  });
  it('runs cluster mode for a non-node app in fork mode, with a warning', () => {
    const resolved = one({ script: 'run.sh', exec_mode: 'cluster', instances: 2 });
    assert.equal(resolved.app.execMode, 'fork');
    assert.equal(resolved.app.instances, 2);
    assert.match(resolved.warnings.join('\n'), /exec_mode "cluster" needs node, but the app runs with .*bash: running it in fork mode/);
  });
  it('a shell-command script takes args, passed as positional parameters', () => {
    const { app } = one({ script: 'echo hello', args: ['a b', '$HOME'] });
    assert.deepEqual(app.args.slice(0, 2), ['-c', 'echo hello "$@"']);
    assert.deepEqual(app.args.slice(3), ['a b', '$HOME']);
  });
  it('a numeric-prefix cron step is run as its range', () => {
    assert.equal(one({ script: 'app.js', cron_restart: '0 1/3 * * *' }).app.cronRestart, '0 1-23/3 * * *');
  });
  it('force_color sets FORCE_COLOR and CLICOLOR_FORCE unless env overrides; log_date_zone reaches the log spec', () => {
    assert.deepEqual([one({ script: 'app.js', force_color: true }).app.env.FORCE_COLOR, one({ script: 'app.js', force_color: true }).app.env.CLICOLOR_FORCE], ['1', '1']);
    assert.equal(one({ script: 'app.js', force_color: true, env: { FORCE_COLOR: '0' } }).app.env.FORCE_COLOR, '0');
    assert.equal(one({ script: 'app.js' }).app.env.FORCE_COLOR, undefined);
    assert.equal(one({ script: 'app.js', log_date_zone: 'utc' }).app.logs.dateZone, 'utc');
  });
  it('source_map_support adds --enable-source-maps for node apps, once', () => {
    assert.ok(one({ script: 'app.js', source_map_support: true }).app.interpreterArgs.includes('--enable-source-maps'));
    assert.equal(one({ script: 'app.js', source_map_support: true, node_args: '--enable-source-maps' }).app.interpreterArgs.filter((a) => a === '--enable-source-maps').length, 1);
    assert.ok(!one({ script: 'app.js' }).app.interpreterArgs.includes('--enable-source-maps'));
  });
  it('watch_options reach the spec', () => {
    assert.deepEqual(one({ script: 'app.js', watch: true, watch_options: { usePolling: true, interval: 500 } }).app.watchOptions, { usePolling: true, interval: 500 });
  });
  it('names file, app, option, expectation and value', () => {
    const { code, message } = failure([{ script: 'app.js', name: 'web' }, { script: 'app.js', name: 'api', instances: 'lots' }]);
    assert.equal(code, 'CONFIG_INVALID');
    assert.equal(message, 'ecosystem.config.js: apps[1] "api": instances must be a number, "max" or a negative number, got "lots"');
  });
  it('reports flags as the command line with INVALID_ARGUMENT', () => {
    const { code, message } = failure([{ script: 'app.js', instances: 'lots' }], { source: 'command line' });
    assert.equal(code, 'INVALID_ARGUMENT');
    assert.equal(message, 'command line: instances must be a number, "max" or a negative number, got "lots"');
  });
});

describe('scripts and interpreters', () => {
  it('picks the interpreter by extension', () => {
    const ts = one({ script: 'server.ts' }).app;
    assert.equal(ts.interpreter, process.execPath);
    assert.deepEqual(ts.interpreterArgs, ['--import', tsxLoaderUrl()]);
    assert.match(tsxLoaderUrl(), /^file:\/\/.*tsx/);
    const py = one({ script: 'job.py' }).app;
    assert.match(py.interpreter ?? '', /python3$/);
    assert.equal(py.env.PYTHONUNBUFFERED, '1');
    assert.match(one({ script: 'run.sh' }).app.interpreter ?? '', /bash$/);
    assert.equal(one({ script: 'bin/tool' }).app.interpreter, null);
    assert.equal(one({ script: 'app.js', interpreter: 'none' }).app.interpreter, null);
  });
  it('finds a script on PATH', () => {
    const { app } = one({ script: 'sh', args: '-c "exit 0"' });
    assert.match(app.script, /\/sh$/);
    assert.deepEqual(app.args, ['-c', 'exit 0']);
  });
  it('runs a command with spaces through bash -c, with a warning', () => {
    const { app, warnings } = one({ script: 'echo hello world' });
    assert.match(app.script, /\/(ba)?sh$/);
    assert.deepEqual(app.args, ['-c', 'echo hello world']);
    assert.equal(app.name, 'echo hello world');
    assert.equal(app.logs.outFile, '/home/u/.tend/logs/echo-hello-world-out.log');
    assert.match(warnings[0] ?? '', /is not a file; running it with .* -c/);
  });
  it('a missing script is SCRIPT_NOT_FOUND naming the path', () => {
    const { code, message } = failure([{ script: 'nope.js', name: 'x' }]);
    assert.equal(code, 'SCRIPT_NOT_FOUND');
    assert.equal(message, `ecosystem.config.js: apps[0] "x": script "nope.js" not found (no file ${join(dir.path, 'nope.js')}, and not on PATH)`);
  });
  it('a missing interpreter is INTERPRETER_NOT_FOUND', () => {
    const { code, message } = failure([{ script: 'app.js', interpreter: 'no-such-runtime' }]);
    assert.equal(code, 'INTERPRETER_NOT_FOUND');
    assert.match(message, /interpreter "no-such-runtime" for app.js was not found on PATH/);
  });
  it('rejects node@version interpreters', () => {
    assert.match(failure([{ script: 'app.js', interpreter: 'node@18' }]).message, /not supported/);
  });
});

describe('environment', () => {
  it('merges env_file < env < env_<name> < port, stringifying values', () => {
    const { app } = one(
      {
        script: 'app.js', env_file: '.env', port: 3000,
        env: { SHARED: 'env', N: 1, B: true, O: { a: 1 }, GONE: null },
        env_staging: { SHARED: 'staging' }, env_production: { SHARED: 'production' },
      },
      { envName: 'staging' },
    );
    assert.deepEqual(app.env, { FROM_FILE: '1', SHARED: 'staging', N: '1', B: 'true', O: '{"a":1}', PORT: '3000' });
  });
  it('append_env_to_name', () => {
    assert.equal(one({ script: 'app.js', append_env_to_name: true }, { envName: 'prod' }).app.name, 'app-prod');
  });
  it('warns when no app defines the selected env', () => {
    assert.match(one({ script: 'app.js' }, { envName: 'prod' }).warnings[0] ?? '', /no app defines env_prod/);
  });
  it('a missing env_file is an error', () => {
    assert.match(failure([{ script: 'app.js', env_file: 'missing.env' }]).message, /env_file .*missing.env does not exist/);
  });
  it('increment_var needs a numeric start', () => {
    assert.equal(one({ script: 'app.js', increment_var: 'PORT', port: 3000 }).app.incrementVar, 'PORT');
    assert.match(failure([{ script: 'app.js', increment_var: 'PORT' }]).message, /increment_var PORT needs/);
  });
});

describe('other options', () => {
  it('watch paths, ignore_watch, signals, cron 0, accounts, name_prefix', () => {
    const { app } = one({
      script: 'app.js', watch: ['src', '/abs'], kill_signal: 'term', cron_restart: 0, user: 'root',
      name_prefix: 'acme', disable_logs: true, log_date_format: 'YYYY', max_size: '10M', rotate_interval: '1d',
    });
    assert.deepEqual(app.watch, [join(dir.path, 'src'), '/abs']);
    assert.deepEqual(app.ignoreWatch, ['node_modules', '**/.*']);
    assert.equal(app.killSignal, 'SIGTERM');
    assert.equal(app.cronRestart, null);
    assert.equal(app.uid, 0);
    assert.equal(app.gid, 0);
    assert.equal(app.name, 'acme:app');
    assert.equal(app.logs.outFile, null);
    assert.equal(app.logs.time, true);
    assert.equal(app.logs.maxSizeBytes, 10 * 1024 * 1024);
    assert.equal(app.logs.rotateIntervalMs, 86_400_000);
  });
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ kill_signal: 'SIGFOO' }, /kill_signal must be a signal name/],
    [{ cron_restart: '61 * * * *' }, /cron_restart must be a cron pattern.*got "61 \* \* \* \*" \(.*minute.*\)/],
    [{ uid: 'no-such-user-xyz' }, /uid: no user named "no-such-user-xyz"/],
    [{ max_memory_restart: 'lots' }, /max_memory_restart must be a size/],
    [{ kill_timeout: '3 days' }, /kill_timeout must be a duration/],
    [{ autorestart: 'yes' }, /autorestart must be true or false, got "yes"/],
    [{ port: 70000 }, /port must be an integer from 1 to 65535/],
    [{ env: 'A=1' }, /env must be an object/],
    [{ name: '42' }, /name must not be only digits/],
    [{ name: 'all' }, /name must not be "all"/],
    [{ watch_options: { ignored: 'x' } }, /watch_options .*ignored cannot be set/],
    [{ cwd: 'missing-dir' }, /cwd .*missing-dir does not exist/],
    // undefined is what an absent flag gives; it counts as not set.
    [{ script: undefined, name: 'x' }, /script is required/],
  ];
  for (const [raw, pattern] of bad) {
    it(`rejects ${JSON.stringify(raw)}`, () => {
      const { code, message } = failure([{ script: 'app.js', ...raw }]);
      assert.equal(code, 'CONFIG_INVALID');
      assert.match(message, pattern);
    });
  }
  it('rejects duplicate names', () => {
    assert.match(failure([{ script: 'app.js' }, { script: 'app.js' }]).message, /apps\[1\] "app": name is already used by apps\[0\]/);
  });
  it('warns on unknown keys with a suggestion, and on options with no effect', () => {
    const { warnings } = one({ script: 'app.js', wacth: true, vizion: false, frobnicate: 1 });
    assert.deepEqual(warnings, [
      "ecosystem.config.js: apps[0]: unknown option 'wacth' is ignored; did you mean 'watch'?",
      'ecosystem.config.js: apps[0]: vizion has no effect in tend: tend collects no git metadata',
      "ecosystem.config.js: apps[0]: unknown option 'frobnicate' is ignored",
    ]);
  });
});
