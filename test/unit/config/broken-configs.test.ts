import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { isTendError } from '../../../src/core/errors.js';
import { loadConfigFile } from '../../../src/config/index.js';
import { makeTempDir } from './temp-dir.js';

const dir = makeTempDir();
after(() => dir.remove());
dir.write('package.json', '{"type":"commonjs"}');
dir.write('app.js', '');
const opts = { tendHome: '/tmp/tend-home', cpuCount: 2, processEnv: { PATH: process.env.PATH } };

interface BrokenCase {
  file: string;
  content: string | Uint8Array;
  code: string;
  message: RegExp;
}

const cases: BrokenCase[] = [
  { file: 'syntax.config.js', content: 'module.exports = {\n  apps: [{\n    name: "a",,\n  }]\n}\n', code: 'CONFIG_INVALID', message: /syntax.config.js: syntax error at line 3, column 15: Unexpected token ','/ },
  { file: 'syntax.config.mjs', content: 'export default {\n  apps: [{\n    name: "a",,\n  }]\n}\n', code: 'CONFIG_INVALID', message: /syntax.config.mjs: syntax error at line 3(, column \d+)?: Unexpected token ','/ },
  { file: 'syntax.config.ts', content: 'export default {\n  apps: [{\n    name: "a",,\n  }]\n}\n', code: 'CONFIG_INVALID', message: /syntax.config.ts: syntax error at line 3, column 14: Expected identifier but found ","/ },
  { file: 'syntax.json', content: '{\n  "apps": [\n    { "script": "app.js" \n    "name": "x" }\n  ]\n}\n', code: 'CONFIG_INVALID', message: /syntax.json: syntax error at line 4, column 5: Expected ',' or '}' after property value/ },
  { file: 'syntax.yaml', content: 'apps:\n  - script: app.js\n    name: [unclosed\n', code: 'CONFIG_INVALID', message: /syntax.yaml: syntax error at line \d+, column \d+: / },
  { file: 'dup.yaml', content: 'apps:\n  - script: app.js\n    script: other.js\n', code: 'CONFIG_INVALID', message: /dup.yaml: syntax error at line 3, column 5: Map keys must be unique/ },
  { file: 'syntax.toml', content: '[[apps]]\nscript = "app.js"\nname = \n', code: 'CONFIG_INVALID', message: /syntax.toml: syntax error at line 3, column \d+: / },
  { file: 'throws.config.js', content: 'const x = 1;\nthrow new Error("no DATABASE_URL");\n', code: 'CONFIG_INVALID', message: /throws.config.js: loading the config threw \(line 2\): no DATABASE_URL/ },
  { file: 'empty.config.js', content: '', code: 'CONFIG_INVALID', message: /empty.config.js: file is empty$/ },
  { file: 'blank.yaml', content: '  \n\n', code: 'CONFIG_INVALID', message: /blank.yaml: file is empty$/ },
  { file: 'huge.json', content: `{"apps":[${'{"script":"app.js"},'.repeat(300_000)}]}`, code: 'CONFIG_INVALID', message: /huge.json: file is \d+\.\d MB, over the 5 MB limit/ },
  { file: 'latin1.yaml', content: Buffer.from('apps:\n  - script: app.js\n    name: caf\xe9\n', 'latin1'), code: 'CONFIG_INVALID', message: /latin1.yaml: not valid UTF-8 text \(first bad byte on line 3\)/ },
  { file: 'wrong-type.json', content: '{"apps":[{"script":"app.js","instances":"lots"}]}', code: 'CONFIG_INVALID', message: /wrong-type.json: apps\[0\]: instances must be a number, "max" or a negative number, got "lots"/ },
  { file: 'apps-string.yaml', content: 'apps: app.js\n', code: 'CONFIG_INVALID', message: /apps must be an array of apps, got "app.js"/ },
  { file: 'no-apps.json', content: '{"apps": []}', code: 'CONFIG_INVALID', message: /the config has no apps/ },
  { file: 'tag.yaml', content: 'apps:\n  - script: !secret app.js\n', code: 'CONFIG_INVALID', message: /tag.yaml: syntax error at line 2, column 13: Unresolved tag: !secret$/ },
  { file: 'scalar.yaml', content: 'just text\n', code: 'CONFIG_INVALID', message: /expected \{ apps: \[\.\.\.\] \}, an array of apps or one app object, got "just text"/ },
  { file: 'fn.config.js', content: 'module.exports = () => ({ apps: [] });\n', code: 'CONFIG_INVALID', message: /exports a function/ },
  { file: 'static.json', content: '{"apps":[{"script":"app.js"}],"static":[{"path":"."}]}', code: 'CONFIG_INVALID', message: /static is not supported/ },
  { file: 'missing-script.toml', content: '[[apps]]\nname = "x"\nscript = "gone.js"\n', code: 'SCRIPT_NOT_FOUND', message: /missing-script.toml: apps\[0\] "x": script "gone.js" not found/ },
];

describe('broken configs give one clear line and a code', () => {
  for (const c of cases) {
    it(c.file, async () => {
      const file = dir.write(c.file, c.content);
      await assert.rejects(loadConfigFile(file, opts), (error: unknown) => {
        assert.ok(isTendError(error), String(error));
        assert.equal(error.code, c.code, error.message);
        assert.match(error.message, c.message);
        assert.ok(!error.message.includes('\n'), `one line: ${JSON.stringify(error.message)}`);
        return true;
      });
    });
  }
  it('a missing file is CONFIG_NOT_FOUND', async () => {
    await assert.rejects(loadConfigFile(`${dir.path}/nope.config.js`, opts), { code: 'CONFIG_NOT_FOUND', message: /nope.config.js: config file not found/ });
  });
  it('a YAML directive it does not know is ignored, without a word on stderr (as PM2 reads such a file)', async () => {
    const printed: unknown[] = [];
    const onWarning = (warning: unknown): number => printed.push(warning);
    process.on('warning', onWarning);
    try {
      const file = dir.write('directive.yaml', '%FOO bar\n---\napps:\n  - script: app.js\n    name: d\n');
      const config = await loadConfigFile(file, opts);
      assert.deepEqual(config.apps.map((app) => app.name), ['d']);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(printed, []);
    } finally {
      process.off('warning', onWarning);
    }
  });
  it('unknown keys load with a did-you-mean warning', async () => {
    const file = dir.write('typo.yaml', 'apps:\n  - script: app.js\n    wacth: true\n    instaces: 2\n');
    const { apps, warnings } = await loadConfigFile(file, opts);
    assert.equal(apps.length, 1);
    assert.match(warnings[0] ?? '', /typo.yaml: apps\[0\]: unknown option 'wacth' is ignored; did you mean 'watch'\?/);
    assert.match(warnings[1] ?? '', /did you mean 'instances'\?/);
  });
  it('ESM syntax in a CommonJS-typed .js file still loads (Node 20.19+ detects it)', async () => {
    const file = dir.write('esm-in-cjs.config.js', 'export default { script: "app.js", name: "esm" };\n');
    assert.equal((await loadConfigFile(file, opts)).apps[0]?.name, 'esm');
  });
  it('a config that changed on disk is read again', async () => {
    const file = dir.write('edited.config.js', 'module.exports = { script: "app.js", name: "one" };');
    assert.equal((await loadConfigFile(file, opts)).apps[0]?.name, 'one');
    dir.write('edited.config.js', 'module.exports = { script: "app.js", name: "two" };');
    assert.equal((await loadConfigFile(file, opts)).apps[0]?.name, 'two');
  });
});
