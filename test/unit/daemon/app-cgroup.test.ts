import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ownCgroupDir } from '../../../src/daemon/app-cgroup.js';

const UNIFIED = 'cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0\n';
const HYBRID = 'cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\ncgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0\n';

const cases: Array<[string, string, string, string | null]> = [
  ['unified hierarchy, a user service', UNIFIED, '0::/user.slice/user-1000.slice/user@1000.service/app.slice/tend.service\n', '/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/tend.service'],
  ['hybrid hierarchy (v1 controllers, v2 at unified), the root cgroup', HYBRID, '4:memory:/x\n0::/\n', '/sys/fs/cgroup/unified'],
  ['cgroup v1 only: no v2 line', 'cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\n', '4:memory:/x\n', null],
  ['v2 line but no cgroup2 mount (a container without /sys/fs/cgroup)', '', '0::/\n', null],
];

for (const [name, mounts, self, expected] of cases) {
  test(name, () => assert.equal(ownCgroupDir(mounts, self), expected));
}
