import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderCpuSparkline, renderMemorySparkline, renderSparkline } from '../../../src/cli/monit/sparkline.js';

describe('renderSparkline', () => {
  const cases: Array<{ what: string; values: number[]; width: number; ceiling?: number; expected: string }> = [
    { what: 'no width draws nothing', values: [1, 2], width: 0, expected: '' },
    { what: 'no history is blank', values: [], width: 4, expected: '    ' },
    { what: 'a short history is right-aligned', values: [0, 100], width: 4, ceiling: 100, expected: '  ▁█' },
    { what: 'all zero is a flat floor', values: [0, 0, 0], width: 3, expected: '▁▁▁' },
    { what: 'scales to the largest value without a ceiling', values: [1, 2, 4, 8], width: 4, expected: '▂▃▅█' },
    { what: 'an idle app under a ceiling stays low', values: [1, 2, 1], width: 3, ceiling: 100, expected: '▁▁▁' },
    { what: 'keeps only the newest points', values: [100, 0, 50, 100], width: 2, ceiling: 100, expected: '▅█' },
    { what: 'a value above the ceiling raises the scale', values: [100, 200], width: 2, ceiling: 100, expected: '▅█' },
    { what: 'negative and NaN read as zero', values: [-5, Number.NaN, 10], width: 3, expected: '▁▁█' },
  ];
  for (const { what, values, width, ceiling, expected } of cases) {
    it(what, () => {
      const line = renderSparkline(values, width, ceiling);
      assert.equal(line, expected);
      assert.equal([...line].length, width);
    });
  }

  it('cpu is scaled to 100 % of a core, memory to its own peak', () => {
    assert.equal(renderCpuSparkline([50], 1), '▅');
    assert.equal(renderMemorySparkline([50], 1), '█');
  });
});
