import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHelp, escapeLabelValue, formatPrometheus, formatValue } from '../../../src/metrics/prometheus.js';

describe('formatPrometheus', () => {
  it('writes HELP and TYPE before the samples, line by line, ending with a newline', () => {
    const text = formatPrometheus([
      { name: 'a_total', help: 'Things.', type: 'counter', samples: [{ labels: { x: '1', y: 'b' }, value: 3 }] },
      { name: 'b', help: 'No samples.', type: 'gauge', samples: [] },
      { name: 'c', help: 'Bare.', type: 'gauge', samples: [{ labels: {}, value: 0.5 }] },
    ]);
    assert.deepEqual(text.split('\n'), [
      '# HELP a_total Things.',
      '# TYPE a_total counter',
      'a_total{x="1",y="b"} 3',
      '# HELP b No samples.',
      '# TYPE b gauge',
      '# HELP c Bare.',
      '# TYPE c gauge',
      'c 0.5',
      '',
    ]);
  });

  it('escapes label values and HELP text', () => {
    const text = formatPrometheus([
      { name: 'm', help: 'back\\slash\nnew "quoted"', type: 'gauge', samples: [{ labels: { name: 'a\\b"c\nd' }, value: 1 }] },
    ]);
    assert.deepEqual(text.split('\n'), [
      '# HELP m back\\\\slash\\nnew "quoted"',
      '# TYPE m gauge',
      'm{name="a\\\\b\\"c\\nd"} 1',
      '',
    ]);
  });

  const escapes: [string, string, string][] = [
    ['plain', 'plain', 'plain'],
    ['a\\b', 'a\\\\b', 'a\\\\b'],
    ['say "hi"', 'say \\"hi\\"', 'say "hi"'],
    ['two\nlines', 'two\\nlines', 'two\\nlines'],
  ];
  for (const [raw, label, help] of escapes) {
    it(`escapes ${JSON.stringify(raw)}`, () => {
      assert.equal(escapeLabelValue(raw), label);
      assert.equal(escapeHelp(raw), help);
    });
  }

  const values: [number, string][] = [
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
    [0, '0'],
    [-2.5, '-2.5'],
    [1e21, '1e+21'],
    [123456789, '123456789'],
  ];
  for (const [value, expected] of values) {
    it(`formats ${value} as ${expected}`, () => assert.equal(formatValue(value), expected));
  }

  const invalid: { name: string; labels: Record<string, string> }[] = [
    { name: '1bad', labels: {} },
    { name: 'has-dash', labels: {} },
    { name: 'ok', labels: { 'bad-label': 'x' } },
    { name: 'ok', labels: { __reserved: 'x' } },
  ];
  for (const { name, labels } of invalid) {
    it(`rejects metric ${name} with labels ${Object.keys(labels).join(',') || 'none'}`, () => {
      assert.throws(() => formatPrometheus([{ name, help: 'h', type: 'gauge', samples: [{ labels, value: 1 }] }]));
    });
  }

  it('rejects a family given twice', () => {
    const family = { name: 'x', help: 'h', type: 'gauge' as const, samples: [] };
    assert.throws(() => formatPrometheus([family, family]), /twice/);
  });
});
