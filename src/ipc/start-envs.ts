import type { AppSpec } from '../core/app-spec.js';
import { isSameEnv } from '../core/same-env.js';

type Env = Record<string, string>;

/**
 * A `start` on the wire: the apps of one command mostly share one environment snapshot (the
 * command's), so each distinct snapshot is sent once in `envs` and an app names it by index.
 * Each app carrying its own copy, a start of 1,000 apps was a 2.7 MB frame that took the daemon
 * ~32 ms to parse and check in one turn of its event loop, the longest wait a ping saw during
 * such a start. An app may still carry its snapshot itself.
 */
export interface PackedStart {
  apps: Array<{ spec: AppSpec; baseEnv: Env | number }>;
  envs?: Env[];
}

/** Packs `apps` for the wire (see PackedStart). */
export function packStartEntries(apps: ReadonlyArray<{ spec: AppSpec; baseEnv: Env }>): PackedStart {
  if (apps.length < 2) return { apps: [...apps] };
  const envs: Env[] = [];
  const indexOf = new Map<Env, number>();
  const packed = apps.map(({ spec, baseEnv }) => {
    let index = indexOf.get(baseEnv);
    if (index === undefined) {
      index = envs.findIndex((env) => isSameEnv(env, baseEnv));
      if (index < 0) index = envs.push(baseEnv) - 1;
      indexOf.set(baseEnv, index);
    }
    return { spec, baseEnv: index };
  });
  return { apps: packed, envs };
}

/** The apps of a packed start, each with its snapshot; a string saying what is wrong when an index names no snapshot. */
export function unpackStartEntries(packed: PackedStart): Array<{ spec: AppSpec; baseEnv: Env }> | string {
  const envs = packed.envs ?? [];
  const apps: Array<{ spec: AppSpec; baseEnv: Env }> = [];
  for (const [n, { spec, baseEnv }] of packed.apps.entries()) {
    if (typeof baseEnv !== 'number') {
      apps.push({ spec, baseEnv });
      continue;
    }
    const env = envs[baseEnv];
    if (env === undefined) return `apps[${n}].baseEnv: names snapshot ${baseEnv}, but envs holds ${envs.length}`;
    apps.push({ spec, baseEnv: env });
  }
  return apps;
}
