import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { evaluateInTarget, listTargets } from '../../../src/cli/inspector-client.js';
import { listeningPortsOf } from '../../../src/cli/listening-ports.js';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';
import { findFreePort } from '../cluster/support.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

test('tend inspect turns on the inspector of one cluster worker, then of another, each on its own port, with no restart', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'workers', '-i', '2']);
  const workers = (await tend.waitForStatus('workers', 'online', 2)).filter((i) => i.name === 'workers');
  const ports = [await findFreePort(), await findFreePort()];
  for (const [n, worker] of workers.entries()) {
    const out = await tend.ok(['inspect', String(worker.id), '--port', String(ports[n])]);
    assert.match(out, new RegExp(`^workers \\(id ${worker.id}, pid ${worker.pid}\\): inspector on ws://127\\.0\\.0\\.1:${ports[n]}/`));
    assert.ok(worker.pid && listeningPortsOf(worker.pid).has(ports[n] as number), 'the worker itself listens on its inspector port');
    assert.equal(listeningPortsOf(worker.pid).has(9229), false, "Node's signal port is free again for the next one");
  }
  // A debugger session works: one evaluation through the moved inspector.
  const [target] = await listTargets(ports[1] as number);
  assert.ok(target);
  await evaluateInTarget(ports[1] as number, target, '1 + 1');
  const after = (await tend.jlist()).filter((i) => i.name === 'workers');
  assert.deepEqual(after.map((i) => [i.pid, i.restarts, i.status]), workers.map((w) => [w.pid, 0, 'online']), 'same processes, nothing restarted');

  const stopped = await tend.ok(['inspect', String(workers[0]?.id), '--port', String(ports[0]), '--stop']);
  assert.match(stopped, /inspector closed/);
  assert.equal(listeningPortsOf(workers[0]?.pid as number).has(ports[0] as number), false);
});

test('tend inspect of a fork-mode Node app uses 9230 + its id by default; apps that are not Node, or several instances, are one-line errors', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'solo']);
  const solo = (await tend.waitForStatus('solo', 'online')).find((i) => i.name === 'solo');
  assert.ok(solo?.pid);
  const out = await tend.ok(['inspect', 'solo']);
  assert.match(out, new RegExp(`inspector on ws://127\\.0\\.0\\.1:${9230 + solo.id}/`));
  assert.ok(listeningPortsOf(solo.pid).has(9230 + solo.id));

  const script = join(tend.home, 'sleeper.sh');
  writeFileSync(script, '#!/bin/sh\nexec sleep 1000\n', { mode: 0o755 });
  await tend.ok(['start', script, '--name', 'sleeper']);
  await tend.waitForStatus('sleeper', 'online');
  const notNode = await tend.run(['inspect', 'sleeper']);
  assert.equal(notNode.code, 1);
  assert.match(notNode.stderr, /^tend: inspect: sleeper is not a Node app \(run by bash\); only Node has this inspector\n$/);
  const several = await tend.run(['inspect', 'workers']);
  assert.equal(several.code, 2);
  assert.match(several.stderr, /"workers" has 2 instances; give one id/);
});
