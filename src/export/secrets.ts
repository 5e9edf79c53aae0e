/**
 * Variables whose names look like credentials. Their values never appear in an export: each
 * target gets a reference that the operator fills (a Kubernetes Secret, a Nomad variable, a
 * systemd EnvironmentFile, compose interpolation from the deploying shell).
 */
const SECRET_NAME = /(?:^|_)(?:KEY|SECRET|TOKEN|PASSWORD|PASSWD|PASS|PWD|CREDENTIALS?|PRIVATE|AUTH|DSN)(?:_|$)|PASSWORD|SECRET|TOKEN|APIKEY/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export interface SplitEnv {
  plain: Record<string, string>;
  /** Names only: the values are not carried. */
  secretNames: string[];
}

export function splitEnv(env: Readonly<Record<string, string>>): SplitEnv {
  const plain: Record<string, string> = {};
  const secretNames: string[] = [];
  for (const [name, value] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    if (isSecretName(name)) secretNames.push(name);
    else plain[name] = value;
  }
  return { plain, secretNames };
}
