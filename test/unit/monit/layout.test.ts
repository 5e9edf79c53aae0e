import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHART_MAX, NAME_MAX, NAME_MIN, fitText, planColumns, rowWidth } from '../../../src/cli/monit/layout.js';

describe('planColumns', () => {
  const cases: Array<{ columns: number; keys: string[] }> = [
    { columns: 200, keys: ['id', 'name', 'status', 'cpu', 'cpuChart', 'memory', 'memoryChart', 'restarts', 'uptime'] },
    { columns: 100, keys: ['id', 'name', 'status', 'cpu', 'cpuChart', 'memory', 'memoryChart', 'restarts', 'uptime'] },
    { columns: 80, keys: ['id', 'name', 'status', 'cpu', 'cpuChart', 'memory', 'memoryChart', 'restarts', 'uptime'] },
    { columns: 60, keys: ['id', 'name', 'status', 'cpu', 'memory', 'restarts', 'uptime'] },
    { columns: 42, keys: ['id', 'name', 'status', 'cpu', 'memory', 'restarts'] },
    { columns: 35, keys: ['id', 'name', 'status', 'cpu', 'memory'] },
    { columns: 28, keys: ['id', 'name', 'status', 'cpu'] },
    { columns: 22, keys: ['id', 'name', 'status'] },
    { columns: 10, keys: ['id', 'name', 'status'] },
  ];
  for (const { columns, keys } of cases) {
    it(`${columns} columns show ${keys.join(', ')}`, () => {
      const plan = planColumns(columns);
      assert.deepEqual(plan.map((c) => c.key), keys);
      // Rows never wrap, except below the three columns that always stay.
      if (columns >= 20) assert.ok(rowWidth(plan) <= columns, `row is ${rowWidth(plan)} wide`);
    });
  }

  it('charts share the width equally, names and charts stay within their limits', () => {
    for (let columns = 20; columns <= 300; columns++) {
      const plan = planColumns(columns);
      const name = plan.find((c) => c.key === 'name');
      const charts = plan.filter((c) => c.key.endsWith('Chart')).map((c) => c.width);
      assert.ok(name && name.width >= NAME_MIN && name.width <= NAME_MAX, `name at ${columns}`);
      assert.ok(charts.length === 0 || (charts.length === 2 && charts[0] === charts[1] && (charts[0] ?? 0) <= CHART_MAX), `charts at ${columns}`);
    }
  });

  it('widens the id column for long ids', () => {
    assert.equal(planColumns(100, 5).find((c) => c.key === 'id')?.width, 5);
    assert.ok(rowWidth(planColumns(100, 5)) <= 100);
  });
});

describe('fitText', () => {
  const cases: Array<[string, number, 'left' | 'right', string]> = [
    ['api', 5, 'left', 'api  '],
    ['api', 5, 'right', '  api'],
    ['worker-queue', 6, 'left', 'worke…'],
    ['exact', 5, 'left', 'exact'],
    ['x', 0, 'left', ''],
    ['ab', 1, 'left', '…'],
  ];
  for (const [text, width, align, expected] of cases) it(`${text} in ${width} ${align}`, () => assert.equal(fitText(text, width, align), expected));
});
