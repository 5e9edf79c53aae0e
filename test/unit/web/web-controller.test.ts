import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isLoopbackHost, readOrCreateWebToken, readWebConfig } from '../../../src/daemon/web-controller.js';

test('loopback hosts are told apart from the rest', () => {
  for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) assert.equal(isLoopbackHost(host), true, host);
  for (const host of ['0.0.0.0', '::', '192.168.1.2', 'example.com', '127.0.0.1.example.com']) assert.equal(isLoopbackHost(host), false, host);
});

test('the token is created once, 0600, and reused', () => {
  const home = mkdtempSync(join(tmpdir(), 'tend-token-'));
  try {
    const first = readOrCreateWebToken(home);
    assert.ok(first.length >= 43);
    assert.equal(statSync(join(home, 'web.token')).mode & 0o777, 0o600);
    assert.equal(readOrCreateWebToken(home), first);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('config.json: a web section with defaults, or nothing', () => {
  const home = mkdtempSync(join(tmpdir(), 'tend-webcfg-'));
  try {
    assert.equal(readWebConfig(home), null);
    writeFileSync(join(home, 'config.json'), '{"web":{"enabled":true,"port":9700}}');
    assert.deepEqual(readWebConfig(home), { enabled: true, port: 9700, host: '127.0.0.1', allowRemote: false });
    writeFileSync(join(home, 'config.json'), '{"other":1}');
    assert.equal(readWebConfig(home), null);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
