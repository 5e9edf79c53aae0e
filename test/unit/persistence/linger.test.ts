import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideLinger, enableLingerCommand } from '../../../src/cli/linger.js';

const cases: Array<[loginctl: string | null, flagFile: boolean, expected: 'enabled' | 'disabled']> = [
  ['Linger=yes\n', false, 'enabled'],
  ['Linger=no\n', true, 'disabled'],
  [null, true, 'enabled'],
  [null, false, 'disabled'],
  ['', true, 'enabled'],
  ['Failed to get user: No such user\n', false, 'disabled'],
];
for (const [output, flagFile, expected] of cases) {
  test(`loginctl ${JSON.stringify(output)}, flag file ${flagFile}: lingering ${expected}`, () => {
    assert.equal(decideLinger(output, flagFile), expected);
  });
}

test('the command to enable lingering names the user', () => {
  assert.equal(enableLingerCommand('alice'), 'loginctl enable-linger alice');
});
