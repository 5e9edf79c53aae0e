/** Reply types of the protocol that are no vocabulary of core (see methods.ts for the map). */
import type { InstanceInfo } from '../core/instance-info.js';

export interface LogsTailResult {
  id: number;
  name: string;
  instance: number;
  out: string[];
  err: string[];
  /** Older lines were left out: the reply holds about 4 MiB of text at most. */
  truncated?: boolean;
}

export interface ReloadResult {
  instances: InstanceInfo[];
  /** Fork-mode apps, restarted because only cluster apps can hand over connections. */
  restartedForkApps: string[];
}

/** The `/metrics` page in the Prometheus text format. */
export interface PrometheusPage {
  contentType: string;
  text: string;
}
