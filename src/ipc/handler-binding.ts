import { TendError } from '../core/errors.js';
import type { EncodedJson } from './encoded-json.js';
import { METHOD_PARAMS, type Method, type ParamsOf, type ResultOf } from './methods.js';
import type { Schema } from './params-schema.js';
import type { Connection, Handler } from './server.js';

/**
 * A handler of one method: its params as the schema reads them, its reply as the map says
 * (or that reply already encoded, see EncodedJson).
 */
export type MethodHandler<M extends Method> = (params: ParamsOf<M>, connection: Connection) => Reply<ResultOf<M>> | Promise<Reply<ResultOf<M>>>;

type Reply<T> = T | EncodedJson<T>;

/** Methods the daemon's table answers (`hello` is the server's own). */
export type DaemonMethod = Exclude<Method, 'hello'>;

/** One handler per method: a method left out, or a reply of another shape, fails to compile. */
export type HandlerTable = { [M in DaemonMethod]: MethodHandler<M> };

/**
 * The server's map of the table, each handler behind a check of its params against the
 * method's schema: a malformed request gets an error naming the method and the field, and no
 * handler ever sees it.
 */
export function bindHandlers(table: HandlerTable): Map<string, Handler> {
  const bound = new Map<string, Handler>();
  for (const method of Object.keys(METHOD_PARAMS) as Method[]) {
    if (method === 'hello') continue;
    const handler = table[method] as (params: unknown, connection: Connection) => unknown;
    bound.set(method, (params, connection) => handler(readParams(method, params), connection));
  }
  return bound;
}

/** A request's params, checked and normalised, or INVALID_ARGUMENT naming the method and field. */
export function readParams<M extends Method>(method: M, params: unknown): ParamsOf<M> {
  const read = (METHOD_PARAMS[method] as Schema<ParamsOf<M>>).read(params, '');
  if (read.ok) return read.value;
  const field = read.path === '' ? 'its params' : `"${read.path}"`;
  throw new TendError('INVALID_ARGUMENT', `${method}: ${field} must be ${read.expected}, got ${read.got}`);
}
