import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { join } from 'node:path';
import { isTendError } from '../../../src/core/errors.js';
import { resolveApps, type ResolveContext } from '../../../src/config/index.js';
import { makeTempDir } from './temp-dir.js';

const dir = makeTempDir();
after(() => dir.remove());
dir.write('app.js', '');
dir.write('run.sh', '');

const ctx: ResolveContext = { cwd: dir.path, tendHome: '/home/u/.tend', cpuCount: 4, source: 'ecosystem.config.js', processEnv: { PATH: process.env.PATH } };

function one(raw: Record<string, unknown>) {
  return resolveApps([{ script: 'run.sh', ...raw }], ctx).apps[0]!;
}

function failure(raw: Record<string, unknown>): string {
  try {
    resolveApps([{ script: 'run.sh', name: 'web', ...raw }], ctx);
  } catch (error) {
    assert.ok(isTendError(error) && error.code === 'CONFIG_INVALID', String(error));
    assert.ok(!error.message.includes('\n'), `one line: ${error.message}`);
    return error.message;
  }
  throw new Error('expected an error');
}

describe('listen', () => {
  it('takes one address, a list, { address, name } and the comma-separated flag form', () => {
    assert.deepEqual(
      one({ listen: '127.0.0.1:8080' }).listen?.map((l) => [l.kind, l.host, l.port, l.name]),
      [['tcp', '127.0.0.1', 8080, 'listen']],
    );
    assert.deepEqual(
      one({ listen: ['[::1]:8080', { address: 'unix:sock/app.sock', name: 'admin' }, '9000'] }).listen?.map((l) => [l.kind, l.host, l.port, l.path, l.name]),
      [
        ['tcp', '::1', 8080, '', 'listen'],
        ['unix', '', 0, join(dir.path, 'sock/app.sock'), 'admin'],
        ['tcp', '0.0.0.0', 9000, '', 'listen'],
      ],
    );
    assert.equal(one({ listen: '127.0.0.1:1,127.0.0.1:2' }).listen?.length, 2);
    assert.deepEqual(one({}).listen, []);
  });

  it('rejects bad addresses and names with the reason', () => {
    assert.match(failure({ listen: 'localhost' }), /listen must be .*"localhost" is not host:port/);
    assert.match(failure({ listen: '127.0.0.1:70000' }), /port 70000 is not from 1 to 65535/);
    assert.match(failure({ listen: { address: ':80', name: 'a:b' } }), /goes in LISTEN_FDNAMES/);
    assert.match(failure({ listen: 'unix:' }), /unix: needs a path/);
  });

  it('is for fork mode', () => {
    assert.match(failure({ script: 'app.js', exec_mode: 'cluster', listen: ':8080' }), /listen hands sockets to fork-mode instances/);
  });
});

describe('readiness contracts', () => {
  it('ready, watchdog_ms and probes reach the spec with their defaults', () => {
    const app = one({ ready: 'notify', watchdog_ms: '5s', liveness: { tcp: '8080' } });
    assert.equal(app.readyProtocol, 'notify');
    assert.equal(app.watchdogMs, 5000);
    assert.deepEqual(app.liveness, {
      check: { type: 'tcp', host: '127.0.0.1', port: 8080 },
      periodMs: 10_000,
      timeoutMs: 1000,
      failureThreshold: 3,
      successThreshold: 1,
      initialDelayMs: 0,
    });
    assert.equal(one({}).readyProtocol, null);
  });

  it('an exec probe is an argument array: a string is split, never given to a shell', () => {
    assert.deepEqual(one({ readiness: { exec: 'curl -fs "http://x/a b"' } }).readiness?.check, { type: 'exec', argv: ['curl', '-fs', 'http://x/a b'] });
    assert.deepEqual(one({ readiness: { exec: ['/bin/check', '$HOME; rm -rf /'] } }).readiness?.check, { type: 'exec', argv: ['/bin/check', '$HOME; rm -rf /'] });
  });

  it('rejects probes that are ambiguous or malformed', () => {
    assert.match(failure({ readiness: { http: 'http://a/', tcp: ':80' } }), /exactly one of http, tcp or exec \(got http and tcp\)/);
    assert.match(failure({ readiness: { http: 'https://a/' } }), /http must be a URL starting with http:\/\//);
    assert.match(failure({ liveness: { tcp: ':80', period: 5 } }), /unknown probe field period/);
    assert.match(failure({ liveness: { tcp: ':80', failure_threshold: 0 } }), /failure_threshold must be an integer >= 1/);
    assert.match(failure({ liveness: { tcp: ':80', period_ms: 10 } }), /period_ms must be at least 100 ms/);
  });

  it('allows one readiness contract only, watchdog only with notify, and ready only in fork mode', () => {
    assert.match(failure({ wait_ready: true, readiness: { tcp: ':80' } }), /wait_ready and readiness each say when the app is ready; give only one/);
    assert.match(failure({ ready: 'fd', readiness: { tcp: ':80' } }), /ready and readiness/);
    assert.match(failure({ watchdog_ms: 1000 }), /watchdog_ms needs ready: 'notify'/);
    assert.match(failure({ script: 'app.js', exec_mode: 'cluster', ready: 'notify' }), /ready: 'notify' is for fork mode/);
    assert.match(failure({ ready: 'systemd' }), /ready must be one of "notify", "fd"/);
  });
});
