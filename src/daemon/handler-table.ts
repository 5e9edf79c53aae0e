import type { Handler } from '../ipc/server.js';
import { type HandlerDeps, createHandlers, stateWriteFailed } from './handlers.js';
import { type PersistenceDeps, createPersistenceHandlers } from './handlers-persistence.js';
import { type WebHandlerDeps, createWebHandlers } from './handlers-web.js';

/** Requests that change the wanted set, specs, env snapshots or ids. */
export const STATE_CHANGING_METHODS: ReadonlySet<string> = new Set(['start', 'stop', 'restart', 'reload', 'delete', 'scale', 'reset', 'resurrect']);

/** Every method the control socket answers (DESIGN.md §5), each request that changes state persisted before its reply. */
export function buildHandlerTable(deps: { core: HandlerDeps; web: WebHandlerDeps; persistence: PersistenceDeps; persist: () => void }): Map<string, Handler> {
  const all = new Map([...createHandlers(deps.core), ...createWebHandlers(deps.web), ...createPersistenceHandlers(deps.persistence)]);
  return persistBeforeReply(all, deps.persist);
}

/**
 * Wraps the handlers that change what the state file keeps so that the file is written (and
 * synced when what must survive changed) before their reply goes out: a daemon killed right
 * after a reply never forgets what the reply said was done. A write that fails fails the request.
 */
export function persistBeforeReply(handlers: Map<string, Handler>, persist: () => void): Map<string, Handler> {
  const wrapped = new Map(handlers);
  for (const [method, handler] of handlers) {
    if (!STATE_CHANGING_METHODS.has(method)) continue;
    wrapped.set(method, async (params, connection) => {
      let result: unknown;
      try {
        result = await handler(params, connection);
      } catch (error) {
        // The handler's own error says more than a failed write after it.
        try {
          persist();
        } catch {
          // Reported by the scheduled writes, which retry.
        }
        throw error;
      }
      try {
        persist();
      } catch (error) {
        throw stateWriteFailed(error, 'the change may not survive a daemon restart');
      }
      return result;
    });
  }
  return wrapped;
}
