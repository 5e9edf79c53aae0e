import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findDescendants, parseProcStat, readProcStat } from '../../../src/metrics/proc-stat.js';

/** A stat line with the given command name; the numbers after it are fields 3-24. */
function statLine(pid: number, comm: string, ppid = 1): string {
  const fields = ['S', ppid, pid, pid, 0, -1, 4194560, 10, 0, 0, 0, 111, 22, 33, 44, 20, 0, 1, 0, 5555, 123456, 789];
  return `${pid} (${comm}) ${fields.join(' ')} 18446744073709551615 0 0\n`;
}

describe('parseProcStat', () => {
  const cases: { comm: string }[] = [
    { comm: 'node' },
    { comm: 'my app' },
    { comm: 'a) (b' },
    { comm: ') ) S 1 2' },
    { comm: '((x))' },
    { comm: '' },
  ];
  for (const { comm } of cases) {
    it(`reads the fields after a command named ${JSON.stringify(comm)}`, () => {
      const stat = parseProcStat(statLine(42, comm, 7));
      assert.deepEqual(stat, {
        pid: 42,
        ppid: 7,
        pgid: 42,
        sid: 42,
        state: 'S',
        utimeTicks: 111,
        stimeTicks: 22,
        cutimeTicks: 33,
        cstimeTicks: 44,
        startTimeTicks: 5555,
        rssPages: 789,
      });
    });
  }

  it('rejects text without a command name', () => {
    assert.equal(parseProcStat('garbage'), null);
  });

  it('reads this process and returns null for a pid that does not exist', () => {
    assert.equal(readProcStat(process.pid)?.pid, process.pid);
    assert.equal(readProcStat(2 ** 30), null);
  });
});

describe('findDescendants', () => {
  it('walks every level and leaves other trees out', () => {
    const links = [
      { pid: 10, ppid: 1 },
      { pid: 11, ppid: 10 },
      { pid: 12, ppid: 11 },
      { pid: 13, ppid: 10 },
      { pid: 20, ppid: 1 },
      { pid: 21, ppid: 20 },
    ];
    assert.deepEqual(findDescendants(links, 10).map((l) => l.pid).sort(), [11, 12, 13]);
    assert.deepEqual(findDescendants(links, 12), []);
  });
});
