/**
 * `start --wait` (and the API's `wait: true`): the reply goes out once every instance started
 * is online, or fails with the reason one is not (START_FAILED).
 *
 * The waiting is done here, in the daemon, rather than by the client following `instance`
 * events, because the daemon sees every state change of the state machine as it happens: no
 * event can be missed between the start's reply and a subscription, none is dropped when the
 * client reads slowly (the event stream drops under backpressure), a state passed through in
 * an instant (`failing` on a readiness timeout) is still seen, and the reason comes from the
 * instance itself rather than being rebuilt from a status line. Every client (CLI, API, a raw
 * socket) gets the same behaviour for one boolean param. The client's watchdog pings a daemon
 * that stays silent, and pings are answered while the wait goes on, so a long wait is no timeout.
 */
import { TendError } from '../core/errors.js';
import type { Instance } from './instance.js';
import type { LifecycleState } from './lifecycle/states.js';

/** Still on the way (null), online (ok), or a reason it will not get there by itself. */
export type SettleVerdict = null | { ok: true } | { ok: false; reason: string };

/**
 * A crash-looping app is waited for until the policy gives up (errored): it may get online on
 * a later attempt. A readiness timeout fails at once (`failing`), as `systemctl start` does.
 */
export function settleVerdict(state: LifecycleState, lastExit: { code: number | null; signal: string | null }): SettleVerdict {
  switch (state.name) {
    case 'online':
      return { ok: true };
    case 'failing':
    case 'errored':
    case 'unkillable':
      return { ok: false, reason: state.reason };
    case 'exited':
      return { ok: false, reason: lastExit.signal ? `exited (killed by ${lastExit.signal}) and is not restarted` : `exited with code ${lastExit.code ?? '?'} and is not restarted` };
    case 'stopped':
      return { ok: false, reason: 'was stopped before it got online' };
    case 'blocked':
      // Held back by depends_on: on its way while the dependency is, failed when the dependency
      // will not come online without a command (errored, stopped, not in the list).
      return state.stuck ? { ok: false, reason: state.reason } : null;
    case 'spawning':
    case 'starting':
    case 'waiting':
    case 'stopping':
    case 'killing':
      return null;
  }
}

/**
 * Resolves once every instance is online; fails with START_FAILED at the first that will not
 * be, so that an app held back (depends_on) by one that failed is not waited for in vain.
 */
export function waitOnline(instances: readonly Instance[]): Promise<void> {
  // An app registered with autostart off was not started: there is nothing to wait for.
  const started = instances.filter((i) => !(i.lifecycle.name === 'stopped' && i.spec.autostart === false));
  return new Promise((resolve, reject) => {
    const pending = new Set(started);
    const unwatch: Array<() => void> = [];
    const finish = (failure: string | null): void => {
      for (const stop of unwatch) stop();
      if (failure === null) resolve();
      else reject(new TendError('START_FAILED', failure));
    };
    const check = (instance: Instance): void => {
      if (!pending.has(instance)) return;
      const verdict = settleVerdict(instance.lifecycle, instance.lastExit);
      if (verdict === null) return;
      pending.delete(instance);
      if (!verdict.ok) {
        pending.clear();
        finish(`${instance.spec.name} (id ${instance.id}): ${verdict.reason}`);
      } else if (pending.size === 0) finish(null);
    };
    for (const instance of started) unwatch.push(instance.watch(check));
    if (started.length === 0) finish(null);
    for (const instance of started) check(instance);
  });
}
