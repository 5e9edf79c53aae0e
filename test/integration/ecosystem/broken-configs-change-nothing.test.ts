import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import { TendHarness } from '../../helpers/tend-harness.js';
import { ConfigDir, IDLE_APP } from './support.js';

const tend = new TendHarness();
const dir = new ConfigDir();
const idle = JSON.stringify(IDLE_APP);

before(async () => {
  await tend.ok(['start', IDLE_APP, '--name', 'keep']);
  await tend.waitForStatus('keep', 'online');
  mkdirSync(join(dir.path, 'esm'));
  dir.write('esm/package.json', '{"type":"module"}');
});
after(async () => {
  await tend.cleanup();
  dir.remove();
});

/** What must not change: who runs, with which pid, how often restarted. */
function snapshot(list: InstanceInfo[]): string {
  return JSON.stringify(list.map((i) => [i.id, i.name, i.status, i.pid, i.restarts]));
}

interface Broken {
  file: string;
  content: string | Uint8Array;
  message: RegExp;
}

// Each file also names "keep" (with other options) and a valid new app, so a partial start or
// an update of the running app would show in jlist.
const valid = `{ name: 'keep', script: ${idle}, env: { CHANGED: '1' } }, { name: 'fresh', script: ${idle} }`;
const cases: Broken[] = [
  { file: 'syntax.config.js', content: `module.exports = { apps: [${valid},\n  { name: 'x',, script: 'y' }] };\n`, message: /syntax\.config\.js: syntax error at line 2, column 15: Unexpected token ','$/ },
  {
    file: 'wrong-type.config.js',
    content: `module.exports = { apps: [${valid}, { name: 'api', script: ${idle}, instances: 'lots' }] };\n`,
    message: /wrong-type\.config\.js: apps\[2\] "api": instances must be a number, "max" or a negative number, got "lots"$/,
  },
  { file: 'missing-script.yaml', content: `apps:\n  - name: fresh\n    script: ${idle}\n  - name: gone\n    script: ./gone.js\n`, message: /missing-script\.yaml: apps\[1\] "gone": script "\.\/gone\.js" not found/ },
  { file: 'empty.config.js', content: '', message: /empty\.config\.js: file is empty$/ },
  { file: 'huge.json', content: `{"apps":[${`{"name":"fresh","script":${idle}},`.repeat(120_000)}]}`, message: /huge\.json: file is \d+\.\d MB, over the 5 MB limit for config files$/ },
  { file: 'latin1.yaml', content: Buffer.from(`apps:\n  - script: ${idle}\n    name: caf\xe9\n`, 'latin1'), message: /latin1\.yaml: not valid UTF-8 text \(first bad byte on line 3\); save it as UTF-8$/ },
  { file: 'throws.config.js', content: `const apps = [${valid}];\nthrow new Error('DATABASE_URL is not set');\n`, message: /throws\.config\.js: loading the config threw \(line 2\): DATABASE_URL is not set$/ },
  {
    file: 'esm/ecosystem.config.js',
    content: `module.exports = { apps: [${valid}] };\n`,
    message: /ecosystem\.config\.js: loading the config threw \(line 1\): module is not defined in ES module scope \(CommonJS in a \.js file of a "type": "module" package: rename it to \.cjs\)$/,
  },
];

test('each broken config gives its one-line message, exit 1, and changes nothing that runs', async () => {
  const before = snapshot(await tend.jlist());
  for (const c of cases) {
    const file = dir.write(c.file, c.content);
    for (const args of [['start', file], ['restart', file], ['startOrRestart', file]]) {
      const result = await tend.run(args);
      assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
      const lines = result.stderr.split('\n').filter((l) => l !== '');
      assert.equal(lines.length, 1, `one line for ${args.join(' ')}: ${result.stderr}`);
      assert.match(lines[0] ?? '', /^tend: /);
      assert.match(lines[0] ?? '', c.message);
      assert.equal(result.stdout, '');
    }
  }
  assert.equal(snapshot(await tend.jlist()), before, 'jlist unchanged');
  const env = await tend.ok(['env', 'keep']);
  assert.ok(!env.includes('CHANGED='), 'the running app got nothing of the broken files');
});

test('an unknown key warns with "did you mean" on stderr, and the app starts', async () => {
  const file = dir.write('typo.config.js', `module.exports = { apps: [{ name: 'typo', script: ${idle}, instaces: 2, kill_timout: 100 }] };\n`);
  const result = await tend.run(['start', file]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(result.stderr.trim().split('\n'), [
    `tend: warning: ${file}: apps[0] "typo": unknown option 'instaces' is ignored; did you mean 'instances'?`,
    `tend: warning: ${file}: apps[0] "typo": unknown option 'kill_timout' is ignored; did you mean 'kill_timeout'?`,
  ]);
  await tend.waitForStatus('typo', 'online', 1);
});
