/** Log file names are built from app names, and a file name holds 255 bytes at most. */
export const MAX_APP_NAME_LENGTH = 100;

/**
 * Why `name` cannot name an app, or null. Checked by the config (the CLI's clear error) and
 * by the daemon (a client may send anything): the name becomes part of log file names and is
 * printed to terminals.
 */
export function nameProblem(name: string): string | null {
  if (name.length === 0) return 'name must not be empty';
  if (name.length > MAX_APP_NAME_LENGTH) return `name is ${name.length} characters long, over the limit of ${MAX_APP_NAME_LENGTH} (it becomes part of log file names)`;
  if (/[\x00-\x1f\x7f-\x9f]/.test(name)) return 'name must not contain control characters (tabs, newlines, escape codes)';
  if (/[/\\]/.test(name)) return 'name must not contain / or \\ (it becomes part of log file names)';
  if (name.startsWith('.') || name.startsWith('-')) return 'name must not start with "." or "-"';
  // Commands take ids, names and 'all' in one slot, so a name must not look like the others.
  if (/^\d+$/.test(name)) return 'name must not be only digits (it would be read as an id)';
  if (name === 'all') return 'name must not be "all" (it means every app)';
  return null;
}
