/**
 * Vocabulary of the web dashboard shared by the daemon (which starts it), src/web (which is it)
 * and the API (which asks for it); none of them may import the others here.
 */

export interface WebListenOptions {
  /** 0 picks a free port; the bound one comes back in the address. */
  port: number;
  host: string;
  token: string;
}

export interface WebAddress {
  host: string;
  port: number;
  /** Base URL without the token, e.g. http://127.0.0.1:9615/ */
  url: string;
}

/** The reply of `web.start`, `web.stop` and `web.status`. */
export interface WebStatus {
  running: boolean;
  host: string | null;
  port: number | null;
  /** Base URL without the token. */
  url: string | null;
  /** The URL to open: base URL with `?token=`; the page swaps it for a cookie at once. */
  tokenUrl: string | null;
  tokenFile: string;
}

/**
 * The `metrics` event: cpu and memory of the instances whose figures changed since the previous
 * `metrics` event, as parallel arrays. The daemon sends it after a sampler tick, at most every
 * other tick, only while some connection subscribes to `metrics` and only when something
 * changed, so idle apps cost nothing. After subscribing, read `list()` on the same connection
 * as the baseline: later events bring it up to date.
 */
export interface MetricsEvent {
  /** Wall time of the sample, ms since the epoch. */
  at: number;
  ids: number[];
  /** Percent of one core, rounded to 0.1 as in `list`; 0 for an instance that is not running. */
  cpu: number[];
  /** Resident bytes of the tree; 0 for an instance that is not running. */
  memory: number[];
  /**
   * Instances came or went (or nobody subscribed before): `ids` then names every instance, and
   * a dashboard re-reads `list()` for the rows.
   */
  listChanged: boolean;
}
