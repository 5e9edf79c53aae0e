import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import { FIXTURES, TendHarness, until } from '../../helpers/tend-harness.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

const outOf = (list: InstanceInfo[], id: number) => list.find((i) => i.id === id)?.pm2_env?.pm_out_log_path;

test('log file names do not change when an app scales between 1 and N instances, so older lines stay in tend logs', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'solo', '--min-uptime', '200ms']);
  const before = await tend.waitForStatus('solo', 'online');
  const soloId = before[0]?.id ?? -1;
  assert.equal(outOf(before, soloId), join(tend.home, 'logs', 'solo-out.log'));
  await until(async () => (await tend.ok(['logs', 'solo', '--nostream', '--raw'])).includes('ready'), 'the first line');

  await tend.ok(['scale', 'solo', '2']);
  const scaled = await tend.waitForStatus('solo', 'online', 2);
  assert.deepEqual(scaled.map((i) => i.pm2_env?.pm_out_log_path), [join(tend.home, 'logs', 'solo-out.log'), join(tend.home, 'logs', 'solo-out.log')]);
  await tend.ok(['scale', 'solo', '1']);
  const back = await tend.waitForStatus('solo', 'online', 1);
  assert.equal(outOf(back, soloId), join(tend.home, 'logs', 'solo-out.log'));
  assert.ok((await tend.ok(['logs', String(soloId), '--nostream', '--raw'])).includes('ready'), 'the line written before scaling');
});
