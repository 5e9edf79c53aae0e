import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatHeader, formatRow } from '../../../src/cli/monit/cells.js';
import { MetricsHistory } from '../../../src/cli/monit/history.js';
import { planColumns, rowWidth } from '../../../src/cli/monit/layout.js';
import type { InstanceInfo } from '../../../src/core/instance-info.js';

function instance(overrides: Partial<InstanceInfo>): InstanceInfo {
  return { id: 0, name: 'api', namespace: 'default', pid: 10, status: 'online', mode: 'fork', instance: 0, restarts: 2, uptime_ms: 65_000, cpu: 12.4, memory: 50 * 1024 * 1024, exit_code: null, exit_signal: null, error: null, started_at: 0, adopted_at: null, ...overrides };
}

describe('formatRow', () => {
  it('fills every planned column to its width, status coloured', () => {
    const plan = planColumns(100);
    const history = new MetricsHistory();
    history.record([{ id: 0, cpu: 0, memory: 1 }]);
    history.record([{ id: 0, cpu: 100, memory: 2 }]);
    const cells = formatRow(instance({}), plan, history);
    const text = cells.map((c) => c.text).join('');
    assert.equal(text.length, rowWidth(plan));
    assert.match(text, /^ {2}0 api +online +12% +▁█ +50mb +▅█ +2 +1m$/);
    assert.deepEqual(cells.find((c) => c.text.startsWith('online'))?.colour, 'green');
    assert.equal(formatHeader(plan).length, rowWidth(plan));
  });

  it('a stopped instance shows no usage, and a long name is cut', () => {
    const plan = planColumns(40);
    const text = formatRow(instance({ status: 'stopped', name: 'a-very-long-application-name' }), plan, new MetricsHistory()).map((c) => c.text).join('');
    assert.ok(text.length <= 40);
    assert.match(text, /…/);
    assert.match(text, /stopped +- +-/);
  });
});
