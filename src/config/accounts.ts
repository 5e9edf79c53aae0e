/**
 * uid/gid from numbers or names. Names are looked up in /etc/passwd and /etc/group directly
 * (no `id` child process). A user, by name or number, also gives its primary group when no
 * gid is set, and its home and name for HOME, USER and LOGNAME, as `su` does: an app run as
 * another user must not keep root's group (gid 0) or write into root's home.
 */
import { readFileSync } from 'node:fs';
import { configError, type AppLocation } from './messages.js';

export interface Account {
  uid: number | null;
  gid: number | null;
  /** HOME, USER and LOGNAME of the user, when uid is set and the user is in /etc/passwd. */
  env: Record<string, string>;
}

/** /etc/passwd fields: name, password, uid, gid, gecos, home, shell. */
type PasswdEntry = string[];

export function resolveAccount(
  user: number | string | undefined,
  group: number | string | undefined,
  at: AppLocation,
): Account {
  let entry: PasswdEntry | undefined;
  let uid: number | null = null;
  if (typeof user === 'number') {
    uid = user;
    entry = findEntry('/etc/passwd', 2, String(user));
    if (!entry && group === undefined) throw configError(at, `uid: no user with uid ${user} in /etc/passwd, so no group to run with; set gid too`);
  } else if (user !== undefined) {
    entry = findEntry('/etc/passwd', 0, user);
    if (!entry) throw configError(at, `uid: no user named "${user}" in /etc/passwd`);
    uid = Number(entry[2]);
  }
  let gid = entry ? Number(entry[3]) : null;
  if (typeof group === 'number') gid = group;
  else if (group !== undefined) {
    const groupEntry = findEntry('/etc/group', 0, group);
    if (!groupEntry) throw configError(at, `gid: no group named "${group}" in /etc/group`);
    gid = Number(groupEntry[2]);
  }
  const env: Record<string, string> = entry ? { HOME: entry[5] ?? '/', USER: entry[0] ?? '', LOGNAME: entry[0] ?? '' } : {};
  return { uid, gid, env };
}

/** Fields of the first colon-separated line whose field `index` is `value`. */
function findEntry(file: string, index: number, value: string): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[index] === value && fields.length >= 4) return fields;
  }
  return undefined;
}
