/**
 * Turns framed raw lines into what the file receives: unchanged (the fast path, no copy),
 * prefixed with a timestamp, or one JSON object per line.
 *
 * Bytes: raw and timestamped output keep the app's bytes exactly, invalid UTF-8 included.
 * JSON output and line events need text, so there invalid UTF-8 becomes U+FFFD (a JSON file
 * must stay valid JSON) and a trailing CR is dropped.
 */
import type { LogType } from '../core/app-spec.js';
import { splitLines } from './line-framer.js';

export type LogStream = 'out' | 'err';

export interface DecorateOptions {
  logType: LogType;
  time: boolean;
  app: string;
  instance: number;
}

/** Separator between timestamp and line, as PM2 writes it (`<time>: <line>`). */
const TIME_SEPARATOR = ': ';

/** True when lines must be rewritten before they reach the file. */
export function needsDecoration(options: DecorateOptions): boolean {
  return options.logType === 'json' || options.time;
}

/** `data` holds whole LF-ended lines; `timestamp` is shared by all of them (read together). */
export function decorateLines(data: Buffer, stream: LogStream, timestamp: string, options: DecorateOptions): Buffer {
  if (options.logType === 'json') return toJsonLines(data, stream, timestamp, options);
  if (!options.time) return data;
  return prefixLines(data, Buffer.from(timestamp + TIME_SEPARATOR));
}

function prefixLines(data: Buffer, prefix: Buffer): Buffer {
  let lines = 0;
  for (let at = data.indexOf(0x0a); at !== -1; at = data.indexOf(0x0a, at + 1)) lines++;
  const out = Buffer.allocUnsafe(data.length + lines * prefix.length);
  let read = 0;
  let write = 0;
  while (read < data.length) {
    const nl = data.indexOf(0x0a, read);
    const end = nl === -1 ? data.length : nl + 1;
    write += prefix.copy(out, write);
    write += data.copy(out, write, read, end);
    read = end;
  }
  return out.subarray(0, write);
}

function toJsonLines(data: Buffer, stream: LogStream, timestamp: string, options: DecorateOptions): Buffer {
  let text = '';
  for (const line of splitLines(data)) {
    text += JSON.stringify({
      time: timestamp,
      app: options.app,
      instance: options.instance,
      stream,
      message: line.toString('utf8'),
    });
    text += '\n';
  }
  return Buffer.from(text, 'utf8');
}
