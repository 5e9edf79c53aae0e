import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TendHarness, isAlive } from '../../helpers/tend-harness.js';

const tend = new TendHarness('tend-sec-loop-');
const dir = mkdtempSync(join(tmpdir(), 'tend-sec-loop-cfg-'));
after(async () => {
  await tend.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

test('a config file that loops forever ends the command at its deadline with one line naming the file', async () => {
  const file = join(dir, 'loop.config.js');
  writeFileSync(file, 'while (true) {}\nmodule.exports = { apps: [] };\n');
  const result = await tend.run(['start', file], { env: { TEND_CONFIG_DEADLINE_MS: '1000' }, timeoutMs: 20_000 });
  assert.notEqual(result.code, 0);
  assert.equal(result.stderr.trim(), `tend: ${file}: loading the config did not finish within 1 s (an endless loop, or a wait that never ends?)`);
});

test('a config that loads in time leaves no watchdog behind', async () => {
  const file = join(dir, 'fine.config.js');
  writeFileSync(file, "module.exports = { apps: [{ name: 'fine', script: 'missing.js' }] };\n");
  // Fails after loading (no such script): the command ends at once, its watchdog with it.
  const result = await tend.run(['start', file], { env: { TEND_CONFIG_DEADLINE_MS: '60000' } });
  assert.match(result.stderr, /script "missing\.js" not found/);
  const watchdogs = readdirSync('/proc').filter((entry) => {
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
      return cmdline.includes('tend-config-watchdog') && cmdline.includes(file) && isAlive(Number(entry));
    } catch {
      return false;
    }
  });
  assert.deepEqual(watchdogs.map((pid) => readFileSync(`/proc/${pid}/stat`, 'utf8')), []);
});
