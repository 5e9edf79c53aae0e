import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { findDefaultConfig, isConfigFile, loadConfigFile, type LoadConfigOptions } from '../../../src/config/index.js';
import { makeTempDir } from './temp-dir.js';

const FORMATS = fileURLToPath(new URL('../../fixtures/configs/formats/', import.meta.url));
const opts: LoadConfigOptions = { tendHome: '/tmp/tend-home', cpuCount: 4, processEnv: { PATH: process.env.PATH } };

/** The parts of each app that every format must agree on (configFile differs by design). */
async function summary(file: string, extra: Partial<LoadConfigOptions> = {}) {
  const { apps } = await loadConfigFile(join(FORMATS, file), { ...opts, ...extra });
  return apps.map(({ configFile, ...rest }) => {
    assert.equal(configFile, join(FORMATS, file));
    return rest;
  });
}

describe('every format loads to the same apps', async () => {
  const reference = await summary('ecosystem.config.cjs', { envName: 'production' });
  it('reference is what the fixture says', () => {
    const [api, worker] = reference;
    assert.equal(api?.name, 'api');
    assert.equal(api?.script, join(FORMATS, 'api.js'));
    assert.equal(api?.instances, 2);
    assert.equal(api?.execMode, 'cluster');
    assert.equal(api?.killTimeoutMs, 3000);
    assert.deepEqual(api?.env, { PORT: '3000', NODE_ENV: 'production' });
    assert.deepEqual(worker?.args, ['--queue', 'jobs']);
    assert.equal(worker?.cronRestart, '0 3 * * *');
    assert.equal(worker?.autorestart, false);
  });
  const others = [
    'cjs-js/ecosystem.config.js',
    'esm-js/ecosystem.config.js',
    'ecosystem.config.mjs',
    'ecosystem.config.ts',
    'ecosystem.config.json',
    'ecosystem.config.yaml',
    'ecosystem.config.toml',
  ];
  for (const file of others) {
    it(file, async () => assert.deepEqual(await summary(file, { envName: 'production' }), reference));
  }
});

describe('loading options', () => {
  it('--only keeps the named apps', async () => {
    const { apps } = await loadConfigFile(join(FORMATS, 'ecosystem.config.yaml'), { ...opts, only: ['worker'] });
    assert.deepEqual(apps.map((a) => a.name), ['worker']);
  });
  it('--only with an unknown name is INVALID_ARGUMENT listing the apps', async () => {
    await assert.rejects(loadConfigFile(join(FORMATS, 'ecosystem.config.yaml'), { ...opts, only: ['nope'] }), {
      code: 'INVALID_ARGUMENT',
      message: /--only nope: no such app \(apps: api, worker\)/,
    });
  });
  it('without --env the base env is used', async () => {
    const [api] = await summary('ecosystem.config.toml');
    assert.deepEqual(api?.env, { PORT: '3000', NODE_ENV: 'development' });
  });
  it('yaml top-level anchors get a warning, not an error', async () => {
    const { warnings } = await loadConfigFile(join(FORMATS, 'ecosystem.config.yaml'), opts);
    assert.deepEqual(warnings.map((w) => w.replace(/^.*: /, '')), ["unknown top-level key 'defaults' is ignored"]);
  });
});

describe('PM2-style configs', () => {
  const dir = makeTempDir();
  after(() => dir.remove());
  dir.write('package.json', '{"type":"commonjs"}');
  dir.write('src/server.js', '');
  dir.write('.env.prod', 'SECRET=s3cret\n');

  it('loads a config written for PM2, with its aliases, relative to the file', async () => {
    const file = dir.write('ecosystem.config.js', `module.exports = {
      apps: [{
        name: 'web', cwd: 'src', exec: 'server.js', node_args: ['--inspect=0'], exec_mode: 'cluster_mode',
        instances: 'max', out_file: 'logs/out.log', error: 'logs/err.log', combine_logs: true,
        cron: '0 0 * * *', env: { A: 'a' }, env_production: { NODE_ENV: 'production' },
        env_file: '../.env.prod', pmx: false, vizion: false, automation: false, source_map_support: true,
      }],
      deploy: { production: { user: 'deploy' } },
    };`);
    const { apps, warnings } = await loadConfigFile(file, { ...opts, envName: 'production' });
    const [web] = apps;
    assert.equal(web?.cwd, join(dir.path, 'src'));
    assert.equal(web?.script, join(dir.path, 'src/server.js'));
    assert.deepEqual(web?.interpreterArgs, ['--inspect=0', '--enable-source-maps'], 'source_map_support is applied');
    assert.equal(web?.instances, 4);
    assert.equal(web?.logs.outFile, join(dir.path, 'src/logs/out.log'));
    assert.equal(web?.logs.mergeLogs, true);
    assert.deepEqual(web?.env, { SECRET: 's3cret', A: 'a', NODE_ENV: 'production' });
    assert.equal(warnings.length, 4);
    assert.match(warnings.join('\n'), /deploy section is ignored/);
    assert.match(warnings.join('\n'), /pmx has no effect in tend/);
  });

  it('a single app object and a bare array are accepted', async () => {
    const single = dir.write('single.json', '{ "script": "src/server.js" }');
    assert.equal((await loadConfigFile(single, opts)).apps[0]?.name, 'server');
    const list = dir.write('list.yaml', '- script: src/server.js\n  name: a\n- script: src/server.js\n  name: b\n');
    assert.deepEqual((await loadConfigFile(list, opts)).apps.map((a) => a.name), ['a', 'b']);
  });
});

describe('finding configs', () => {
  const cases: Array<[string, boolean]> = [
    ['ecosystem.config.js', true], ['ecosystem.config.cjs', true], ['ecosystem.config.mjs', true],
    ['ecosystem.config.ts', true], ['/x/app.json', true], ['pm2.yml', true], ['tend.toml', true],
    ['ecosystem.json5', true], ['app.js', false], ['ecosystem.es6.js', false], ['server.ts', false], ['run.sh', false],
  ];
  for (const [path, expected] of cases) {
    it(`isConfigFile(${path}) = ${expected}`, () => assert.equal(isConfigFile(path), expected));
  }
  it('findDefaultConfig prefers .js, then the listed order', () => {
    const dir = makeTempDir();
    try {
      assert.equal(findDefaultConfig(dir.path), null);
      const toml = dir.write('ecosystem.config.toml', '');
      assert.equal(findDefaultConfig(dir.path), toml);
      const js = dir.write('ecosystem.config.js', '');
      assert.equal(findDefaultConfig(dir.path), js);
    } finally {
      dir.remove();
    }
  });
});
