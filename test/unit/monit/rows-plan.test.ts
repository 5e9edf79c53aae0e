import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { helpLine, keyAction } from '../../../src/cli/monit/keys.js';
import { CHROME_LINES, moveSelection, planRows, scrollOffset } from '../../../src/cli/monit/rows-plan.js';

describe('planRows', () => {
  const cases: Array<{ rows: number; count: number; list: number; logs: number }> = [
    { rows: 30, count: 1, list: 1, logs: 24 },
    { rows: 30, count: 3, list: 3, logs: 22 },
    { rows: 30, count: 50, list: 15, logs: 10 },
    { rows: 15, count: 2, list: 2, logs: 8 },
    { rows: 15, count: 20, list: 6, logs: 4 },
    { rows: 15, count: 0, list: 1, logs: 9 },
    { rows: 6, count: 5, list: 2, logs: 0 },
    { rows: 3, count: 5, list: 0, logs: 0 },
  ];
  for (const { rows, count, list, logs } of cases) {
    it(`${rows} rows, ${count} processes: ${list} list rows, ${logs} log lines`, () => {
      const plan = planRows(rows, count);
      assert.deepEqual([plan.listRows, plan.logRows], [list, logs]);
      // Never as tall as the terminal: ink 6 wipes the scrollback on such frames.
      assert.ok(plan.frameLines <= rows - 1);
    });
  }

  it('a log pane fills the frame to rows - 1 exactly', () => {
    const plan = planRows(24, 4);
    assert.equal(plan.frameLines, 23);
    assert.equal(plan.listRows + plan.logRows + CHROME_LINES, 23);
  });
});

describe('selection and scrolling', () => {
  it('moves within the list without wrapping', () => {
    assert.deepEqual([moveSelection(0, -1, 3), moveSelection(2, 1, 3), moveSelection(1, 1, 3), moveSelection(0, 1, 0)], [0, 2, 2, 0]);
  });

  it('scrolls just enough to keep the selection visible', () => {
    assert.equal(scrollOffset(0, 5, 3, 0), 0);
    assert.equal(scrollOffset(7, 5, 20, 0), 3);
    assert.equal(scrollOffset(4, 5, 20, 3), 3);
    assert.equal(scrollOffset(2, 5, 20, 3), 2);
    assert.equal(scrollOffset(19, 5, 20, 99), 15);
  });
});

describe('keys', () => {
  const cases: Array<[string, Record<string, boolean>, string | null]> = [
    ['', { upArrow: true }, 'up'],
    ['', { downArrow: true }, 'down'],
    ['k', {}, 'up'],
    ['j', {}, 'down'],
    ['r', {}, 'restart'],
    ['s', {}, 'stop'],
    ['l', {}, 'reload'],
    ['q', {}, 'quit'],
    ['c', { ctrl: true }, 'quit'],
    ['r', { ctrl: true }, null],
    ['x', {}, null],
  ];
  for (const [input, key, expected] of cases) it(`${JSON.stringify(input)} ${JSON.stringify(key)} -> ${expected}`, () => assert.equal(keyAction(input, key), expected));

  it('the help line always fits', () => {
    for (const columns of [5, 20, 50, 80, 120]) assert.ok(helpLine(columns).length <= columns);
  });
});
