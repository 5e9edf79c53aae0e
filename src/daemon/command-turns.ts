import { afterPoll } from './timers.js';

/**
 * A large start registers and starts this many instances, then lets the sockets be served: a
 * turn of registering 1,000 apps held a ping ~40 ms on a busy machine.
 */
export const TURN_INSTANCES = 100;

/**
 * A large stop or delete signals this many instances a turn. Each looks for its process tree
 * in a table of /proc read once a turn (~60 ms with 2,000 processes on 2 busy cores), then
 * takes ~1.5 ms of its own: `delete all` of 1,000 apps in one turn held a ping 2.3 s, in turns
 * of 100 up to 0.57 s.
 */
export const STOP_TURN_INSTANCES = 25;

/**
 * Calls `act` on each item, `perTurn` of them per turn of the event loop with the sockets
 * polled between, and collects what it returns (undefined: nothing to wait for).
 */
export async function eachInTurns<T, R>(items: readonly T[], perTurn: number, act: (item: T) => R | undefined): Promise<R[]> {
  const results: R[] = [];
  for (const [k, item] of items.entries()) {
    if (k > 0 && k % perTurn === 0) await afterPoll();
    const result = act(item);
    if (result !== undefined) results.push(result);
  }
  return results;
}
