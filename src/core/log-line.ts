/** A `log` event: one line of an app's output, as the daemon streams it to followers. */
export interface LogLineEvent {
  app: string;
  namespace: string;
  id: number;
  instance: number;
  stream: 'out' | 'err';
  /** The line as text, without its newline or trailing CR; invalid UTF-8 becomes U+FFFD. */
  line: string;
  /** Epoch ms when the daemon read the line. */
  at: number;
}
