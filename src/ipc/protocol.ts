import type { ErrorPayload } from '../core/errors.js';

/** Bumped whenever a request, reply or event changes shape. */
export const PROTOCOL_VERSION = 1;

/** A frame larger than this is refused (an env snapshot is far smaller). */
export const MAX_FRAME_BYTES = 8 * 1024 * 1024;

export interface RequestFrame {
  id: number;
  method: string;
  params?: unknown;
}

export type ReplyFrame =
  | { id: number | null; ok: true; result: unknown }
  | { id: number | null; ok: false; error: ErrorPayload };

export interface EventFrame {
  event: string;
  data: unknown;
}

export type ServerFrame = ReplyFrame | EventFrame;

export interface HelloParams {
  protocol: number;
  client: string;
}

export interface HelloResult {
  protocol: number;
  version: string;
  pid: number;
  home: string;
}

/** Reads a request frame from parsed JSON, or says what is wrong with it. */
export function parseRequestFrame(value: unknown): RequestFrame | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a frame must be a JSON object';
  const frame = value as Record<string, unknown>;
  if (typeof frame.id !== 'number' || !Number.isSafeInteger(frame.id)) return 'a request needs a numeric "id"';
  if (typeof frame.method !== 'string' || frame.method.length === 0) return 'a request needs a "method" string';
  return { id: frame.id, method: frame.method, params: frame.params };
}

export function isEventFrame(frame: ServerFrame): frame is EventFrame {
  return 'event' in frame;
}
