import { MAX_FRAME_BYTES } from './protocol.js';

export type DecodedFrame = { kind: 'value'; value: unknown } | { kind: 'error'; reason: string };

/**
 * A frame whose bytes are handed on as they arrive instead of being kept and parsed (see
 * IpcClient.requestStream): all but its first `skip` and last `trim` bytes go to `write`,
 * in order, and `end` is called at its newline. It is not held in memory, so the frame cap
 * does not apply to it.
 */
export interface FrameStream {
  skip: number;
  trim: number;
  write(bytes: Buffer): void;
  end(): void;
}

/** How much of a frame `claim` is shown (all of it when shorter). */
export const CLAIM_BYTES = 64;

/**
 * Splits a byte stream into newline-delimited JSON values. A line over the cap is reported
 * once and skipped up to its newline, so one bad frame never costs the frames after it.
 */
export class NdjsonDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private discarding = false;
  /** Whether `claim` has seen the current frame. */
  private offered = false;
  private stream: { to: FrameStream; skipLeft: number; held: Buffer } | null = null;

  /**
   * `claim`, when given, sees the start of each frame (its first CLAIM_BYTES bytes as text)
   * and may take the frame as a stream.
   */
  constructor(
    private readonly maxFrameBytes: number = MAX_FRAME_BYTES,
    private readonly claim: (start: string) => FrameStream | null = () => null,
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
    if (this.stream) {
      this.feed(part);
      return;
    }
    this.pending.push(part);
    this.pendingBytes += part.length;
    if (!this.offered && this.pendingBytes >= CLAIM_BYTES) this.offer();
    if (!this.stream && this.pendingBytes > this.maxFrameBytes) {
      frames.push({ kind: 'error', reason: `frame larger than ${this.maxFrameBytes} bytes` });
      this.pending = [];
      this.pendingBytes = 0;
      this.discarding = true;
    }
  }

  /** Shows `claim` the frame's start; a frame it takes is streamed from here on. */
  private offer(): void {
    this.offered = true;
    const parts = this.pending;
    const first = parts.length === 1 ? parts[0]! : Buffer.concat(parts, this.pendingBytes);
    const to = this.claim(first.subarray(0, CLAIM_BYTES).toString('utf8'));
    if (!to) return;
    this.pending = [];
    this.pendingBytes = 0;
    this.stream = { to, skipLeft: to.skip, held: Buffer.alloc(0) };
    for (const part of parts) this.feed(part);
  }

  /** Hands on a streamed frame's bytes, past its skipped start, holding back its last `trim`. */
  private feed(part: Buffer): void {
    const stream = this.stream!;
    let bytes = part;
    if (stream.skipLeft > 0) {
      const skipped = Math.min(stream.skipLeft, bytes.length);
      stream.skipLeft -= skipped;
      bytes = bytes.subarray(skipped);
    }
    if (bytes.length === 0) return;
    const { trim } = stream.to;
    if (bytes.length < trim) {
      // Too short to release what is held: join them.
      bytes = Buffer.concat([stream.held, bytes]);
      stream.held = bytes;
      if (bytes.length <= trim) return;
    } else if (stream.held.length > 0) {
      stream.to.write(stream.held);
    }
    if (bytes.length > trim) stream.to.write(bytes.subarray(0, bytes.length - trim));
    stream.held = bytes.subarray(bytes.length - trim);
  }

  private finishLine(frames: DecodedFrame[]): void {
    if (!this.offered && !this.discarding && this.pendingBytes > 0) this.offer();
    const stream = this.stream;
    const wasDiscarding = this.discarding;
    const text = stream || wasDiscarding ? '' : Buffer.concat(this.pending, this.pendingBytes).toString('utf8');
    this.pending = [];
    this.pendingBytes = 0;
    this.discarding = false;
    this.offered = false;
    this.stream = null;
    if (stream) {
      stream.to.end();
      return;
    }
    if (wasDiscarding || text.trim().length === 0) return;
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
