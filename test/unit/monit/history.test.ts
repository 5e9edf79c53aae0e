import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricsHistory, pushBounded } from '../../../src/cli/monit/history.js';
import { LogBuffer, cleanLogLine } from '../../../src/cli/monit/log-buffer.js';

describe('pushBounded', () => {
  it('drops the oldest entries past the capacity', () => {
    const list: number[] = [];
    for (let i = 0; i < 5; i++) pushBounded(list, i, 3);
    assert.deepEqual(list, [2, 3, 4]);
  });
});

describe('MetricsHistory', () => {
  it('keeps the last points per id and forgets ids that left the list', () => {
    const history = new MetricsHistory(3);
    for (let t = 0; t < 5; t++) history.record([{ id: 0, cpu: t, memory: t * 10 }, { id: 1, cpu: 1, memory: 1 }]);
    assert.deepEqual(history.cpu(0), [2, 3, 4]);
    assert.deepEqual(history.memory(0), [20, 30, 40]);
    history.record([{ id: 0, cpu: 9, memory: 90 }]);
    assert.deepEqual(history.cpu(1), []);
    assert.deepEqual(history.cpu(0), [3, 4, 9]);
  });

  it('an unknown id has no history', () => {
    assert.deepEqual(new MetricsHistory().memory(42), []);
  });
});

describe('LogBuffer', () => {
  it('keeps the last lines per id, a tail goes before streamed lines', () => {
    const logs = new LogBuffer(3);
    logs.append(0, { stream: 'out', line: 'live 1' });
    logs.append(0, { stream: 'err', line: 'live 2' });
    logs.prepend(0, [{ stream: 'out', line: 'old 1' }, { stream: 'out', line: 'old 2' }]);
    assert.deepEqual(logs.last(0, 10).map((e) => e.line), ['old 2', 'live 1', 'live 2']);
    assert.deepEqual(logs.last(0, 1).map((e) => e.line), ['live 2']);
    assert.deepEqual(logs.last(0, 0), []);
    logs.forget(new Set([1]));
    assert.equal(logs.has(0), false);
  });
});

describe('cleanLogLine', () => {
  const cases: Array<[string, string]> = [
    ['plain', 'plain'],
    ['\x1b[31mred\x1b[0m text', 'red text'],
    ['a\tb', 'a    b'],
    ['bell\x07 and cr\r', 'bell and cr'],
    ['\x1b]0;title\x07after', 'after'],
    ['move\x1b[2J\x1b[Hhome', 'movehome'],
  ];
  for (const [input, expected] of cases) it(`${JSON.stringify(input)} -> ${JSON.stringify(expected)}`, () => assert.equal(cleanLogLine(input), expected));
});
