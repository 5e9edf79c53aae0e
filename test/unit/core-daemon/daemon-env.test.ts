import assert from 'node:assert/strict';
import { test } from 'node:test';
import { daemonEnv } from '../../../src/api/daemon-launcher.js';

test('daemonEnv: the caller environment with TEND_HOME, without the CA bundle Node would parse at start', () => {
  const env = daemonEnv({ PATH: '/bin', NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt', TEND_HOME: '/old' }, '/home/me/.tend');
  assert.deepEqual(env, { PATH: '/bin', TEND_HOME: '/home/me/.tend' });
});
