/**
 * Just enough of the inspector protocol for `tend inspect`: find a Node process's debugger
 * target on a port and run one expression in it, over a WebSocket (RFC 6455) written by hand
 * (Node 20 has no WebSocket client; one masked text frame out, frames read until the answer).
 */
import { randomBytes } from 'node:crypto';
import { type Socket, connect } from 'node:net';
import { TendError } from '../core/errors.js';

export interface InspectorTarget {
  id: string;
  webSocketDebuggerUrl: string;
}

export async function listTargets(port: number): Promise<InspectorTarget[]> {
  const response = await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(2000) });
  return (await response.json()) as InspectorTarget[];
}

/** Runs `expression` in the target's main context; resolves once the process has answered. */
export async function evaluateInTarget(port: number, target: InspectorTarget, expression: string): Promise<void> {
  const path = new URL(target.webSocketDebuggerUrl).pathname;
  const socket = connect(port, '127.0.0.1');
  try {
    const frames = await openWebSocket(socket, port, path);
    socket.write(maskedTextFrame(JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression } })));
    for (;;) {
      const message = JSON.parse(await frames.next()) as { id?: number; result?: { exceptionDetails?: { text?: string } } };
      if (message.id !== 1) continue;
      const failure = message.result?.exceptionDetails;
      if (failure) throw new TendError('INSPECT_FAILED', `the app's inspector could not run tend's request: ${failure.text ?? 'an exception'}`);
      return;
    }
  } finally {
    socket.destroy();
  }
}

interface FrameReader {
  next(): Promise<string>;
}

/** The opening handshake, then a reader of the server's (unmasked) text frames. */
async function openWebSocket(socket: Socket, port: number, path: string): Promise<FrameReader> {
  const key = randomBytes(16).toString('base64');
  let buffer = Buffer.alloc(0);
  let waiting: (() => void) | null = null;
  let failure: Error | null = null;
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    waiting?.();
  });
  socket.on('error', (error) => {
    failure = error;
    waiting?.();
  });
  socket.on('close', () => {
    failure ??= new Error('the inspector closed the connection');
    waiting?.();
  });
  const more = (): Promise<void> =>
    new Promise((resolve, reject) => {
      if (failure) return reject(failure);
      waiting = () => {
        waiting = null;
        if (failure) reject(failure);
        else resolve();
      };
    });
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  let end = buffer.indexOf('\r\n\r\n');
  while (end === -1) {
    await more();
    end = buffer.indexOf('\r\n\r\n');
  }
  if (!/^HTTP\/1\.1 101/.test(buffer.subarray(0, end).toString('latin1'))) throw new Error('the inspector refused the WebSocket upgrade');
  buffer = buffer.subarray(end + 4);
  return {
    async next(): Promise<string> {
      for (;;) {
        const frame = readFrame(buffer);
        if (frame !== null) {
          buffer = buffer.subarray(frame.size);
          if (frame.opcode === 0x1) return frame.payload.toString('utf8');
          continue;
        }
        await more();
      }
    },
  };
}

function readFrame(data: Buffer): { opcode: number; payload: Buffer; size: number } | null {
  if (data.length < 2) return null;
  const opcode = (data[0] as number) & 0x0f;
  let length = (data[1] as number) & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return null;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return null;
    length = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  if (data.length < offset + length) return null;
  return { opcode, payload: data.subarray(offset, offset + length), size: offset + length };
}

/** A client's frames are masked (RFC 6455 §5.3). */
function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const mask = randomBytes(4);
  const masked = Buffer.alloc(payload.length);
  for (let i = 0; i < payload.length; i += 1) masked[i] = (payload[i] as number) ^ (mask[i % 4] as number);
  return Buffer.concat([header, mask, masked]);
}
