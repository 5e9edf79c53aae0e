import type { InstanceInfo } from '../core/instance-info.js';
import type { Instance } from './instance.js';

/** Everything that follows an instance's changes, each told once per change. */
export interface FanoutTargets {
  sampler: { track(id: number, pid: number, startTimeTicks: number): void; untrack(id: number): void };
  scheduleStateWrite(): void;
  announce(info: InstanceInfo): void;
  info(instance: Instance): InstanceInfo;
  hook?: (instance: Instance) => void;
}

/**
 * Passes one instance change on: the sampler follows its process, the state file is written,
 * subscribers get the new row. `listed` is false for a reload's replacement until it takes its
 * id's place: it shares that id, and only the listed one is sampled and announced.
 */
export function fanOutChange(instance: Instance, listed: boolean, targets: FanoutTargets): void {
  const proc = instance.process;
  if (listed && proc && (instance.state === 'starting' || instance.state === 'online')) targets.sampler.track(instance.id, proc.pid, proc.startTimeTicks);
  else if (listed) targets.sampler.untrack(instance.id);
  targets.scheduleStateWrite();
  targets.announce(targets.info(instance));
  targets.hook?.(instance);
}
