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
