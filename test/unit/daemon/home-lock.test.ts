import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashHomePath } from '../../../src/daemon/home.js';

test('the lock name hash is 64-bit FNV-1a over UTF-8 (published vectors), so it never changes between versions', () => {
  assert.equal(hashHomePath(''), 'cbf29ce484222325');
  assert.equal(hashHomePath('a'), 'af63dc4c8601ec8c');
  assert.equal(hashHomePath('foobar'), '85944171f73967e8');
});

test('the lock name hash keeps 16 hex digits for any home, long or not ASCII', () => {
  for (const home of ['/tmp/x', `/home/${'very-long-folder/'.repeat(40)}`, '/home/zoë/.tend']) {
    assert.match(hashHomePath(home), /^[0-9a-f]{16}$/);
  }
  assert.notEqual(hashHomePath('/home/a/.tend'), hashHomePath('/home/b/.tend'));
});
