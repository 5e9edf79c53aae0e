/**
 * uid/gid from numbers or names. Names are looked up in /etc/passwd and /etc/group directly
 * (no `id` child process); a user name also gives its primary group when no gid is set.
 */
import { readFileSync } from 'node:fs';
import { configError, type AppLocation } from './messages.js';

export interface Account {
  uid: number | null;
  gid: number | null;
}

export function resolveAccount(
  user: number | string | undefined,
  group: number | string | undefined,
  at: AppLocation,
): Account {
  let uid: number | null = null;
  let primaryGid: number | null = null;
  if (typeof user === 'number') uid = user;
  else if (user !== undefined) {
    const entry = findEntry('/etc/passwd', user);
    if (!entry) throw configError(at, `uid: no user named "${user}" in /etc/passwd`);
    uid = Number(entry[2]);
    primaryGid = Number(entry[3]);
  }
  let gid = primaryGid;
  if (typeof group === 'number') gid = group;
  else if (group !== undefined) {
    const entry = findEntry('/etc/group', group);
    if (!entry) throw configError(at, `gid: no group named "${group}" in /etc/group`);
    gid = Number(entry[2]);
  }
  return { uid, gid };
}

/** Fields of the colon-separated line whose first field is `name`. */
function findEntry(file: string, name: string): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields.length >= 4) return fields;
  }
  return undefined;
}
