import { TendClient } from './client.js';
import { waitGone } from './daemon-process.js';
import type { ResurrectResult, SaveResult } from '../core/persistence.js';

const STOP_DEADLINE_MS = 120_000;

export interface UpdateResult {
  /** False when no daemon was running (nothing to replace; none is started). */
  replaced: boolean;
  oldVersion: string | null;
  newVersion: string;
  oldPid: number | null;
  newPid: number;
  saved: SaveResult | null;
  resurrected: ResurrectResult | null;
}

/**
 * Replaces the running daemon with the installed one: save the list to the dump, ask the daemon
 * to hand over with SIGUSR2 (it exits leaving every app running, their processes and holders in
 * its state file), start the new daemon (which adopts them: same pids and ids, nothing
 * restarted), then resurrect from the dump whatever the state file did not bring back (e.g. a
 * state format the new version cannot read).
 */
export async function updateDaemon(home?: string): Promise<UpdateResult> {
  let old: TendClient;
  try {
    old = await TendClient.connect({ home, autoStart: false });
  } catch {
    return { replaced: false, oldVersion: null, newVersion: '', oldPid: null, newPid: 0, saved: null, resurrected: null };
  }
  const oldPid = old.daemon.pid;
  const oldVersion = old.daemon.version;
  let saved: SaveResult | null = null;
  try {
    // An empty list is not saved: resurrecting an older dump would bring back apps that were gone.
    if ((await old.list()).length > 0) saved = await old.save();
    process.kill(oldPid, 'SIGUSR2');
    await old.closed();
  } finally {
    old.close();
  }
  await waitGone([oldPid], STOP_DEADLINE_MS, 'the old daemon');
  const fresh = await TendClient.connect({ home, autoStart: true });
  try {
    const resurrected = saved ? await fresh.resurrect() : null;
    return { replaced: true, oldVersion, newVersion: fresh.daemon.version, oldPid, newPid: fresh.daemon.pid, saved, resurrected };
  } finally {
    fresh.close();
  }
}
