/**
 * PM2 options tend does not implement. Harmless ones (APM agent, git metadata, Windows) load
 * with a warning; ones whose absence would change how the app behaves are rejected, so a
 * config never runs differently from what its author expects without being told.
 */

export interface OptionNote {
  effect: 'none' | 'unsupported';
  reason: string;
}

const NO_APM = 'tend injects no APM agent into apps';

export const OPTION_NOTES: Readonly<Record<string, OptionNote>> = {
  vizion: { effect: 'none', reason: 'tend collects no git metadata' },
  pmx: { effect: 'none', reason: NO_APM },
  automation: { effect: 'none', reason: NO_APM },
  trace: { effect: 'none', reason: NO_APM },
  disable_trace: { effect: 'none', reason: NO_APM },
  v8: { effect: 'none', reason: NO_APM },
  event_loop_inspector: { effect: 'none', reason: NO_APM },
  deep_monitoring: { effect: 'none', reason: NO_APM },
  io: { effect: 'none', reason: NO_APM },
  disable_source_map_support: { effect: 'none', reason: 'tend does not enable source maps itself' },
  windowsHide: { effect: 'none', reason: 'tend does not run on Windows' },
  post_update: { effect: 'none', reason: 'tend has no `update` hooks' },
  install_url: { effect: 'none', reason: 'tend installs no modules' },
  username: { effect: 'none', reason: 'use uid/user to run as another user' },
  write: { effect: 'none', reason: 'tend does not write <name>.json files' },
  execute_command: { effect: 'none', reason: "use exec_mode: 'fork'" },
  kill_retry_time: { effect: 'none', reason: 'tend waits for the exit event instead of polling' },
  pid_file: { effect: 'none', reason: 'tend writes no pid files; `tend pid <app>` prints the pid' },
  pid: { effect: 'none', reason: 'tend writes no pid files; `tend pid <app>` prints the pid' },
  wait_ip: { effect: 'unsupported', reason: 'tend does not wait for a network interface' },
  ext: { effect: 'unsupported', reason: 'use ignore_watch to narrow what is watched' },
};
