import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BOOT_WINDOW_MS } from '../../../src/daemon/release-pacer.js';
import { TendHarness, until } from '../../helpers/tend-harness.js';

// Apps of one start leave their start gate about as many at once as there are cores
// (src/daemon/release-pacer.ts): the next goes as one booting leaves the CPU.

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

test('apps that spin the CPU as they boot go about as many at once as there are cores', async () => {
  const cpus = availableParallelism();
  const count = cpus + 2;
  const log = join(tend.home, 'boots.log');
  // Each app notes when it began, spins 600 ms (a boot that needs the CPU), notes when it was done, and idles.
  const app = join(tend.home, 'spin-boot.js');
  writeFileSync(
    app,
    `const fs = require('node:fs');
const say = (what) => fs.appendFileSync(${JSON.stringify(log)}, process.env.TEND_APP_NAME + ' ' + what + ' ' + Date.now() + '\\n');
say('began');
const until = Date.now() + 600;
while (Date.now() < until) {}
say('booted');
setInterval(() => {}, 1000);
`,
  );
  const apps = Array.from({ length: count }, (_, n) => ({ name: `spin${n}`, script: app }));
  const config = join(tend.home, 'spin.config.cjs');
  writeFileSync(config, `module.exports = ${JSON.stringify({ apps })};\n`);
  await tend.ok(['start', config]);
  const lines = await until(() => {
    let text: string[];
    try {
      text = readFileSync(log, 'utf8').trim().split('\n');
    } catch {
      return undefined; // no app began yet
    }
    return text.filter((l) => l.includes(' booted ')).length === count ? text : undefined;
  }, 'every app booted', 30_000);
  const times = (what: string) => lines.filter((l) => l.includes(` ${what} `)).map((l) => Number(l.split(' ')[2])).sort((a, b) => a - b);
  const began = times('began');
  const booted = times('booted');
  // All at once, every app would begin before any finished its boot. Paced, the last two begin
  // only once an app before them left the CPU, or once the first ones have had their boot window
  // (on a machine busy with other work a 600 ms spin can take longer than that, and the pacer
  // then lets the next ones go, by design). Half the window leaves room for Node's own start.
  const last = began[count - 1] as number;
  const firstBooted = booted[0] as number;
  const heldBack = last >= firstBooted || last - (began[0] as number) >= BOOT_WINDOW_MS / 2;
  assert.ok(heldBack, `the last app began ${last - firstBooted} ms after the first boot ended (began ${began.map((t) => t - (began[0] as number)).join(', ')} ms; booted ${booted.map((t) => t - (began[0] as number)).join(', ')} ms)`);
});

test('an app held at its start gate is launching with no uptime until it runs: min_uptime counts from its go line', async () => {
  const count = availableParallelism() + 2;
  const began = join(tend.home, 'gate-began.log');
  // Each app notes when it runs (bash, at once after its go line, with builtins only: a shell
  // waiting for a command it started looks to the pacer like an app done with its boot), then
  // spins 2 s as it boots: the ones let go first hold the last two back for the pacer's boot
  // window (1 s), longer than their min_uptime.
  const spin = join(tend.home, 'spin-2s.js');
  writeFileSync(spin, 'const until = Date.now() + 2000;\nwhile (Date.now() < until) {}\nsetInterval(() => {}, 1000);\n');
  const app = join(tend.home, 'gate.sh');
  writeFileSync(app, `#!/bin/bash\necho "$TEND_APP_NAME \${EPOCHREALTIME/./}" >> ${JSON.stringify(began)}\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(spin)}\n`, { mode: 0o755 });
  const apps = Array.from({ length: count }, (_, n) => ({ name: `gate${n}`, script: app, min_uptime: '500ms' }));
  const config = join(tend.home, 'gate.config.cjs');
  writeFileSync(config, `module.exports = ${JSON.stringify({ apps })};\n`);
  // The start replies once every app left its gate: the list is watched meanwhile.
  let started = false;
  const start = tend.ok(['start', config]).finally(() => (started = true));
  await until(async () => {
    const list = (await tend.jlist()).filter((i) => i.name.startsWith('gate'));
    // Read after the list: a line written before the list was made is in the file.
    const ran = new Map(
      readFileSync(began, { encoding: 'utf8', flag: 'a+' })
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => [line.split(' ')[0], Number(line.split(' ')[1]) / 1000]),
    );
    for (const i of list) {
      const ranAt = ran.get(i.name);
      if (i.status === 'online') assert.ok(ranAt !== undefined, `${i.name} is online before it ran a line`);
      // Its uptime counts from its go line, a moment before its shell noted the time.
      if (ranAt !== undefined) assert.ok(i.uptime_ms <= Date.now() - ranAt + 500, `${i.name}: ${i.uptime_ms} ms of uptime, ${Date.now() - ranAt} ms after it began`);
    }
    return started && list.length === count && list.every((i) => i.status === 'online');
  }, 'every app online', 30_000);
  await start;
});
