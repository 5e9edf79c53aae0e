import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { authenticate, passesCsrfCheck, readCookie, tokenCookie, tokensMatch } from '../../../src/web/auth.js';
import { Router } from '../../../src/web/router.js';

const TOKEN = 'k'.repeat(43);

function request(method: string, headers: Record<string, string>): IncomingMessage {
  return { method, headers } as unknown as IncomingMessage;
}

test('tokens match only when equal, whatever their lengths', () => {
  const cases: Array<[string, boolean]> = [[TOKEN, true], [`${TOKEN}x`, false], [TOKEN.slice(1), false], ['', false], [TOKEN.toUpperCase(), false]];
  for (const [given, expected] of cases) assert.equal(tokensMatch(given, TOKEN), expected, given);
});

test('cookies are read by exact name; malformed ones count as absent', () => {
  assert.equal(readCookie('a=1; tend_token=abc; b=2', 'tend_token'), 'abc');
  assert.equal(readCookie('xtend_token=abc', 'tend_token'), null);
  assert.equal(readCookie(undefined, 'tend_token'), null);
  const url = new URL('http://h/');
  assert.equal(authenticate(request('GET', { cookie: 'tend_token=%E0%A4%A' }), url, TOKEN), null);
});

test('authenticate: bearer, cookie, and the URL token for GET of the landing page only', () => {
  const cases: Array<[string, Record<string, string>, string, string | null]> = [
    ['GET', { authorization: `Bearer ${TOKEN}` }, '/', 'bearer'],
    ['POST', { authorization: `bearer ${TOKEN}` }, '/', 'bearer'],
    ['GET', { authorization: `Basic ${TOKEN}` }, '/', null],
    ['GET', { cookie: tokenCookie(TOKEN).split(';')[0] ?? '' }, '/', 'cookie'],
    ['GET', {}, `/?token=${TOKEN}`, 'query'],
    ['HEAD', {}, `/?token=${TOKEN}`, 'query'],
    ['POST', {}, `/?token=${TOKEN}`, null],
    ['GET', {}, '/?token=wrong', null],
    ['GET', {}, `/metrics?token=${TOKEN}`, null],
    ['GET', {}, `/api/processes?token=${TOKEN}`, null],
    ['GET', {}, '/', null],
  ];
  for (const [method, headers, path, expected] of cases) {
    assert.equal(authenticate(request(method, headers), new URL(path, 'http://h'), TOKEN), expected, `${method} ${path} ${JSON.stringify(headers)}`);
  }
});

test('CSRF: a change needs the bearer header, or the cookie with X-Tend-Request', () => {
  assert.equal(passesCsrfCheck(request('POST', {}), 'bearer'), true);
  assert.equal(passesCsrfCheck(request('POST', { 'x-tend-request': '1' }), 'cookie'), true);
  assert.equal(passesCsrfCheck(request('POST', {}), 'cookie'), false);
  assert.equal(passesCsrfCheck(request('POST', { 'x-tend-request': '1' }), 'query'), false);
});

test('the cookie is HttpOnly and SameSite=Strict', () => {
  assert.match(tokenCookie(TOKEN), /; HttpOnly; SameSite=Strict; Path=\/$/);
});

test('router: exact segments, decoded params, 405 for a known path, no prototype keys', () => {
  const router = new Router().add('GET', '/api/history/:id', () => undefined).add('POST', '/api/actions', () => undefined);
  const hit = router.match('GET', '/api/history/a%20b');
  assert.ok(hit && hit !== 'method-not-allowed');
  assert.equal(hit.params.id, 'a b');
  assert.ok(router.match('HEAD', '/api/history/1') !== null);
  assert.equal(router.match('GET', '/api/actions'), 'method-not-allowed');
  assert.equal(router.match('GET', '/api/history'), null);
  const proto = router.match('GET', '/api/history/__proto__');
  assert.ok(proto && proto !== 'method-not-allowed');
  assert.equal(Object.getPrototypeOf(proto.params), null);
});
