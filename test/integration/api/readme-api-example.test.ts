/**
 * The README's API example, as written: it must compile against the package's published types
 * (`import ... from 'tend'` resolves to dist/ as a user's project would) and run to the end
 * against a real daemon, printing what it promises.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import ts from 'typescript';
import { FIXTURES, REPO_ROOT, TendHarness } from '../../helpers/tend-harness.js';

let harness: TendHarness;
let project: string;
before(() => {
  harness = new TendHarness('tend-readme-');
  project = mkdtempSync(join(tmpdir(), 'tend-readme-project-'));
});
after(async () => {
  await harness.cleanup();
  rmSync(project, { recursive: true, force: true });
});

/** The first ts block of the README's "## API" section. */
function readmeExample(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## API\n'));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  assert.ok(block?.[1], 'the API section has a ts example');
  return block[1];
}

function typeErrors(file: string): string[] {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
  };
  const program = ts.createProgram([file], options);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

test('the README API example compiles against the published types and runs', () => {
  writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module' }));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(REPO_ROOT, join(project, 'node_modules/tend'), 'dir');
  copyFileSync(join(FIXTURES, 'idle.js'), join(project, 'idle.js'));
  const apps = [{ name: 'api', script: './idle.js', instances: 2, exec_mode: 'fork', env: { NODE_ENV: 'development' }, env_production: { NODE_ENV: 'production' } }];
  writeFileSync(join(project, 'ecosystem.config.js'), `export default ${JSON.stringify({ apps })};\n`);
  const source = readmeExample();
  writeFileSync(join(project, 'example.ts'), source);

  assert.deepEqual(typeErrors(join(project, 'example.ts')), [], 'the example compiles');

  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  writeFileSync(join(project, 'example.js'), js);
  const run = spawnSync(process.execPath, ['example.js'], { cwd: project, env: harness.env(), encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, `stderr: ${run.stderr}\nstdout: ${run.stdout}`);
  assert.match(run.stdout, /^2 instance\(s\) online$/m);
  assert.match(run.stdout, /^NODE_ENV=production$/m);
  assert.match(run.stdout, /^instance: api \(id \d+\) is online$/m, 'the events were followed');
  assert.match(run.stdout, /^instance: api \(id \d+\) is stopped$/m, 'stop by the config file path');
});
