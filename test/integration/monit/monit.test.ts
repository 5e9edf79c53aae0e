import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FIXTURES, TEND_BIN, TendHarness } from '../../helpers/tend-harness.js';
import { TmuxPane } from './tmux-pane.js';

const TITLE = 'tend monit ·';

/**
 * Starts monit in the pane after a marker line, so a restored main screen is recognisable.
 * Each line is typed only once the shell has printed what came before: on a loaded machine,
 * keys typed before bash's line editor is ready are dropped.
 */
async function startMonit(pane: TmuxPane, home: string): Promise<void> {
  await pane.waitForScreen((s) => s.includes('shell$'), 'the shell prompt');
  pane.type(`export TEND_HOME=${home}; echo before-monit`);
  await pane.waitForScreen((s) => /^before-monit$/m.test(s), 'the marker line');
  pane.type(`node ${TEND_BIN} monit; echo "monit-exit=$?"`);
}

describe('tend monit in a terminal', () => {
  const harness = new TendHarness('tend-monit-');
  const panes: TmuxPane[] = [];

  before(async () => {
    await harness.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'monit-app']);
    await harness.waitForStatus('monit-app', 'online');
  });
  after(async () => {
    for (const pane of panes) pane.kill();
    await harness.cleanup();
  });

  it('shows the app online with charts, restarts it on r, and leaves a clean shell on q', async () => {
    const pane = new TmuxPane(100, 30);
    panes.push(pane);
    const [before] = await harness.jlist();
    await startMonit(pane, harness.home);
    const shown = await pane.waitForScreen((s) => /monit-app +online/.test(s) && s.includes('ready'), 'monit-app online with its log line');
    assert.match(shown, /cpu \(1 min\)/, 'charts fit in 100 columns');
    assert.ok(pane.screen().length <= 30);
    assert.equal(pane.isAlternateScreenOn(), true, 'the dashboard draws on the alternate screen');
    pane.press('r');
    const [after] = await harness.waitFor(([i]) => i !== undefined && i.restarts > (before?.restarts ?? 0) && i.status === 'online', 'a restart from the r key');
    assert.notEqual(after?.pid, before?.pid);
    await pane.waitForScreen((s) => s.includes('restarted monit-app'), 'the restart notice');
    // s acts at once and r undoes it, as the help line says.
    pane.press('s');
    await harness.waitForStatus('monit-app', 'stopped');
    await pane.waitForScreen((s) => /monit-app +stopped/.test(s), 'the stopped status on screen');
    pane.press('r');
    await harness.waitForStatus('monit-app', 'online');
    pane.press('q');
    const back = await pane.waitForScreen((s) => s.includes('monit-exit=0'), 'monit to exit 0 on q');
    assert.ok(!back.includes(TITLE), 'no dashboard left on the main screen');
    assert.match(back, /before-monit/, 'the screen from before monit is back');
    assert.equal(pane.isAlternateScreenOn(), false);
  });

  it('fits 60x15 without charts, keeps scrollback through a resize, exits 1 when the daemon goes away', async () => {
    const pane = new TmuxPane(60, 15);
    panes.push(pane);
    await pane.waitForScreen((s) => s.includes('shell$'), 'the shell prompt');
    pane.type('seq 1 40');
    await pane.waitForScreen((s) => /^40$/m.test(s), 'the seq output');
    await startMonit(pane, harness.home);
    const shown = await pane.waitForScreen((s) => /monit-app +online/.test(s), 'monit-app online in 60x15');
    assert.doesNotMatch(shown, /1 min/, 'no charts in 60 columns');
    const lines = pane.screen();
    assert.ok(lines.every((line) => [...line].length <= 60), 'no line wider than the terminal');
    assert.ok(lines[0]?.startsWith(TITLE), 'the title is on the first line: the frame did not scroll');
    assert.match(shown, /q quit/);
    const history = pane.historySize();
    assert.ok(history > 0);
    pane.resize(40, 8);
    await pane.waitForScreen((s) => s.split('\n').every((line) => [...line].length <= 40) && s.startsWith(TITLE.slice(0, 10)), 'a 40-column frame');
    await harness.ok(['kill']);
    const back = await pane.waitForScreen((s) => s.includes('monit-exit=1'), 'monit to exit 1 when the daemon is gone');
    assert.match(back, /lost the connection to the daemon/);
    // ink clears the screen after a shrink; the user's scrollback must survive it.
    assert.ok(pane.historySize() >= history, `scrollback kept: ${pane.historySize()} of ${history} lines`);
    assert.ok(!back.includes(TITLE));
    assert.equal(pane.isAlternateScreenOn(), false);
  });
});
