import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readPm2EnvOptions, withPm2EnvDefaults } from '../../../src/config/pm2-env-options.js';

test('readPm2EnvOptions: PM2 variables become the options tend has, parsed as the options are', () => {
  assert.deepEqual(
    readPm2EnvOptions({
      PM2_KILL_TIMEOUT: '5s',
      PM2_KILL_SIGNAL: 'SIGTERM',
      PM2_KILL_USE_MESSAGE: 'true',
      PM2_GRACEFUL_LISTEN_TIMEOUT: '8000',
      PM2_PROCESS_INSTANCE_VAR: 'INSTANCE_ID',
      PM2_LOG_DATE_FORMAT: 'YYYY-MM-DD',
      PM2_HOME: '/root/.pm2',
      PATH: '/bin',
    }),
    { kill_timeout: 5000, kill_signal: 'SIGTERM', shutdown_with_message: true, listen_timeout: 8000, instance_var: 'INSTANCE_ID', log_date_format: 'YYYY-MM-DD' },
  );
  assert.deepEqual(readPm2EnvOptions({ PM2_KILL_USE_MESSAGE: '0', PM2_KILL_TIMEOUT: '' }), { shutdown_with_message: false }, 'empty is unset');
  assert.deepEqual(readPm2EnvOptions({}), {});
});

test('readPm2EnvOptions: a value tend cannot use is one line naming the variable', () => {
  assert.throws(() => readPm2EnvOptions({ PM2_KILL_TIMEOUT: 'soon' }), /^TendError: environment: PM2_KILL_TIMEOUT \(kill_timeout\) must be .*, got "soon"$/);
  assert.throws(() => readPm2EnvOptions({ PM2_KILL_SIGNAL: 'SIGNOPE' }), /PM2_KILL_SIGNAL \(kill_signal\)/);
});

test('withPm2EnvDefaults: the app\'s own options win; the date format applies only where time is on', () => {
  const env = { kill_timeout: 5000, log_date_format: 'YYYY' };
  assert.deepEqual(withPm2EnvDefaults({}, env), { kill_timeout: 5000 });
  assert.deepEqual(withPm2EnvDefaults({ kill_timeout: 100 }, env), { kill_timeout: 100 });
  assert.deepEqual(withPm2EnvDefaults({ time: true }, env), { kill_timeout: 5000, time: true, log_date_format: 'YYYY' });
  assert.deepEqual(withPm2EnvDefaults({ time: true, log_date_format: 'HH' }, env), { kill_timeout: 5000, time: true, log_date_format: 'HH' });
});
