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
