/** Internal instance states (DESIGN.md §3) and the public statuses `jlist` shows. */
export type InstanceState =
  | 'stopped'
  | 'starting'
  | 'online'
  | 'stopping'
  | 'waiting'
  | 'exited'
  | 'errored';

export type PublicStatus = 'launching' | 'online' | 'stopping' | 'stopped' | 'waiting' | 'errored';

const PUBLIC_STATUS: Record<InstanceState, PublicStatus> = {
  stopped: 'stopped',
  starting: 'launching',
  online: 'online',
  stopping: 'stopping',
  waiting: 'waiting',
  exited: 'stopped',
  errored: 'errored',
};

export function toPublicStatus(state: InstanceState): PublicStatus {
  return PUBLIC_STATUS[state];
}

/** True while a process exists (or is being created) for the instance. */
export function isRunningState(state: InstanceState): boolean {
  return state === 'starting' || state === 'online' || state === 'stopping';
}
