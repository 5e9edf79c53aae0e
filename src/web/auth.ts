import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'tend_token';
/**
 * A header a cross-site form or <img> cannot send: browsers only add custom headers to
 * cross-origin requests after a CORS preflight, which this server never approves.
 */
export const CSRF_HEADER = 'x-tend-request';

export type AuthVia = 'bearer' | 'cookie' | 'query';

/**
 * Constant-time comparison. Hashing both sides first gives equal lengths, so neither the
 * content nor the length of the token leaks through timing.
 */
export function tokensMatch(given: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

function bearerOf(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/** How the request proved it knows the token, or null. Every candidate is checked in full. */
export function authenticate(req: IncomingMessage, url: URL, token: string): AuthVia | null {
  const bearer = bearerOf(req.headers.authorization);
  if (bearer !== null && tokensMatch(bearer, token)) return 'bearer';
  const cookie = safely(() => readCookie(req.headers.cookie, TOKEN_COOKIE));
  if (cookie !== null && tokensMatch(cookie, token)) return 'cookie';
  // A token in the URL is only for opening the landing page, which swaps it for the cookie at
  // once: anywhere else it would sit in logs, history and Referer headers.
  const query = url.pathname === '/' ? url.searchParams.get('token') : null;
  if (query !== null && isSafeMethod(req.method) && tokensMatch(query, token)) return 'query';
  return null;
}

/**
 * State changes need proof the request came from our page or a script holding the token: a
 * bearer header, or the SameSite cookie together with the custom header.
 */
export function passesCsrfCheck(req: IncomingMessage, via: AuthVia): boolean {
  if (via === 'bearer') return true;
  return via === 'cookie' && req.headers[CSRF_HEADER] === '1';
}

export function isSafeMethod(method: string | undefined): boolean {
  return method === 'GET' || method === 'HEAD';
}

/** HttpOnly keeps page scripts from reading it; SameSite=Strict keeps other sites from using it. */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}

function safely<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null; // A malformed %-escape in a cookie is just "no token".
  }
}
