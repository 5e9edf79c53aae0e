import { MAX_FRAME_BYTES } from './protocol.js';

export type DecodedFrame = { kind: 'value'; value: unknown } | { kind: 'error'; reason: string };

/**
 * Splits a byte stream into newline-delimited JSON values. A line over the cap is reported
 * once and skipped up to its newline, so one bad frame never costs the frames after it.
 */
export class NdjsonDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private discarding = false;

  /**
   * `takeText`, when given, sees each frame's text first: a frame it returns true for is its
   * own and is not parsed (see IpcClient.requestText).
   */
  constructor(
    private readonly maxFrameBytes: number = MAX_FRAME_BYTES,
    private readonly takeText: (text: string) => boolean = () => false,
  ) {}

  push(chunk: Buffer): DecodedFrame[] {
    const frames: DecodedFrame[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline < 0 ? chunk.length : newline;
      this.append(chunk.subarray(start, end), frames);
      if (newline < 0) break;
      this.finishLine(frames);
      start = newline + 1;
    }
    return frames;
  }

  private append(part: Buffer, frames: DecodedFrame[]): void {
    if (this.discarding || part.length === 0) return;
    if (this.pendingBytes + part.length > this.maxFrameBytes) {
      frames.push({ kind: 'error', reason: `frame larger than ${this.maxFrameBytes} bytes` });
      this.pending = [];
      this.pendingBytes = 0;
      this.discarding = true;
      return;
    }
    this.pending.push(part);
    this.pendingBytes += part.length;
  }

  private finishLine(frames: DecodedFrame[]): void {
    const text = Buffer.concat(this.pending, this.pendingBytes).toString('utf8');
    const wasDiscarding = this.discarding;
    this.pending = [];
    this.pendingBytes = 0;
    this.discarding = false;
    if (wasDiscarding || text.trim().length === 0 || this.takeText(text)) return;
    try {
      frames.push({ kind: 'value', value: JSON.parse(text) });
    } catch {
      frames.push({ kind: 'error', reason: 'frame is not valid JSON' });
    }
  }
}

export function encodeFrame(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}
