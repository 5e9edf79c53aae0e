/** Stable error codes shared by the daemon, the API and the CLI. */
export type ErrorCode =
  | 'APP_NOT_FOUND'
  | 'APP_EXISTS'
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'SCRIPT_NOT_FOUND'
  | 'INTERPRETER_NOT_FOUND'
  | 'INVALID_ARGUMENT'
  | 'DAEMON_UNREACHABLE'
  | 'DAEMON_START_FAILED'
  | 'HOME_INSECURE'
  | 'SOCKET_PATH_TOO_LONG'
  | 'PROTOCOL_MISMATCH'
  | 'PROTOCOL_ERROR'
  | 'FRAME_TOO_LARGE'
  | 'REPLY_TOO_LARGE'
  | 'INSTANCE_LIMIT'
  | 'STATE_WRITE_FAILED'
  | 'UNKNOWN_METHOD'
  | 'RELOAD_ABORTED'
  | 'LISTEN_FAILED'
  | 'START_FAILED'
  | 'DUMP_INVALID'
  | 'EXPORT_LOSSY'
  /** `tend inspect` could not open, move or close an instance's inspector. */
  | 'INSPECT_FAILED'
  /** A PM2 verb or feature tend does not have; the message says what to do instead. */
  | 'NOT_SUPPORTED'
  | 'INTERNAL';

export class TendError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'TendError';
  }
}

export function isTendError(value: unknown): value is TendError {
  return value instanceof TendError;
}

/** The wire form of an error (what the daemon sends and the client rebuilds). */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
}

export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof TendError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}

export function fromErrorPayload(payload: ErrorPayload): TendError {
  return new TendError(payload.code, payload.message);
}
