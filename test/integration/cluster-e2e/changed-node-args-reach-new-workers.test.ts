import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REPORT_ENV_SOURCE, findFreePort, httpGet, useTendWithAppDir } from './support.js';

const { tend, dir } = useTendWithAppDir();

const CONFIG = `module.exports = { apps: [{
  name: 'args', script: './report-env.cjs', instances: 2, exec_mode: 'cluster',
  node_args: process.env.APP_NODE_ARG ? [process.env.APP_NODE_ARG] : [],
}] };
`;

/** node_args of the workers answering now (a fresh connection per GET spreads over both). */
async function workerArgs(port: number): Promise<string[][]> {
  const answers = await Promise.all(Array.from({ length: 4 }, () => httpGet(port)));
  return answers.map((a) => (JSON.parse(a.body) as { execArgv: string[] }).execArgv.filter((arg) => !arg.includes('drain-preload') && arg !== '--require'));
}

test('restart and reload with --update-env give new workers the changed node_args (the cluster host is set up again)', async () => {
  const port = await findFreePort();
  dir.write('report-env.cjs', REPORT_ENV_SOURCE);
  const config = dir.write('ecosystem.config.cjs', CONFIG);
  await tend.ok(['start', config], { env: { PORT: String(port) }, cwd: dir.path });
  await tend.waitForStatus('args', 'online', 2);
  assert.deepEqual(await workerArgs(port), [[], [], [], []]);

  await tend.ok(['restart', config, '--update-env'], { env: { PORT: String(port), APP_NODE_ARG: '--stack-size=900' }, cwd: dir.path });
  await tend.waitForStatus('args', 'online', 2);
  assert.deepEqual(await workerArgs(port), Array.from({ length: 4 }, () => ['--stack-size=900']));

  await tend.ok(['reload', config, '--update-env'], { env: { PORT: String(port), APP_NODE_ARG: '--stack-size=901' }, cwd: dir.path });
  await tend.waitForStatus('args', 'online', 2);
  assert.deepEqual(await workerArgs(port), Array.from({ length: 4 }, () => ['--stack-size=901']));
});
