import { type DaemonMethod, type HandlerTable, type MethodHandler, bindHandlers } from '../ipc/handler-binding.js';
import type { Handler } from '../ipc/server.js';
import { type HandlerDeps, createHandlers, stateWriteFailed } from './handlers.js';
import { type PersistenceDeps, createPersistenceHandlers } from './handlers-persistence.js';
import { type WebHandlerDeps, createWebHandlers } from './handlers-web.js';

/** Requests that change the wanted set, specs, env snapshots or ids. */
export const STATE_CHANGING_METHODS: ReadonlySet<DaemonMethod> = new Set<DaemonMethod>(['start', 'stop', 'restart', 'reload', 'delete', 'scale', 'reset', 'resurrect']);

/**
 * Every method the control socket answers (DESIGN.md §5), typed by the protocol map, each
 * request's params checked before its handler runs and each request that changes state
 * persisted before its reply.
 */
export function buildHandlerTable(deps: { core: HandlerDeps; web: WebHandlerDeps; persistence: PersistenceDeps; persist: () => void }): Map<string, Handler> {
  const table: HandlerTable = { ...createHandlers(deps.core), ...createWebHandlers(deps.web), ...createPersistenceHandlers(deps.persistence) };
  return bindHandlers(persistBeforeReply(table, deps.persist));
}

/**
 * Wraps the handlers that change what the state file keeps so that the file is written (and
 * synced when what must survive changed) before their reply goes out: a daemon killed right
 * after a reply never forgets what the reply said was done. A write that fails fails the request.
 */
export function persistBeforeReply(handlers: HandlerTable, persist: () => void): HandlerTable {
  const wrapped: Record<string, MethodHandler<DaemonMethod>> = { ...handlers };
  for (const method of STATE_CHANGING_METHODS) {
    const handler = handlers[method] as MethodHandler<DaemonMethod>;
    wrapped[method] = async (params, connection) => {
      let result: Awaited<ReturnType<typeof handler>>;
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
    };
  }
  return wrapped as HandlerTable;
}
