/**
 * The protocol fuzzer: random frames on one control-socket connection (requests to real and
 * made-up methods with any params, JSON that is no request, text that is no JSON, raw bytes),
 * each followed by a ping. The promise: every reply is well formed (id, ok, a result or an error
 * with a known code other than INTERNAL and a one-line message), the ping after each frame is
 * answered, and the daemon keeps its pid. Shared by the fast test and `npm run chaos`.
 */
import { type Socket, connect } from 'node:net';
import fc from 'fast-check';

export interface ProtocolFuzzOutcome {
  /** Frames sent within the time given. */
  frames: number;
  /** Replies checked, pings included. */
  replies: number;
  /** The first failing frame and what went wrong, or null. */
  failure: string | null;
}

/**
 * Methods never sent: `kill` ends the daemon by design, `web.start` opens a listener and
 * `update` replaces the daemon; every other method gets random params.
 */
const METHODS = [
  'ping',
  'list',
  'specs',
  'start',
  'stop',
  'restart',
  'reload',
  'delete',
  'reset',
  'signal',
  'scale',
  'describe',
  'env',
  'logsTail',
  'flush',
  'reloadLogs',
  'subscribe',
  'save',
  'resurrect',
  'cleardump',
  'dump.add',
  'web.stop',
  'web.status',
  'metrics.history',
  'metrics.host',
  'metrics.prometheus',
  'hello',
];

const params = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record(
    {
      targets: fc.oneof(
        fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), { maxLength: 3 }),
        fc.jsonValue({ maxDepth: 1 }),
      ),
      apps: fc.jsonValue({ maxDepth: 3 }),
      lines: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 4 })),
      count: fc.oneof(fc.integer(), fc.string({ maxLength: 4 })),
      signal: fc.oneof(fc.constantFrom('SIGUSR2', 'SIGNOPE', '', 'KILL'), fc.integer()),
      force: fc.jsonValue({ maxDepth: 1 }),
    },
    { requiredKeys: [] },
  ),
);

const method = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...METHODS) },
  {
    weight: 1,
    arbitrary: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'kill ', 'Kill')),
  },
);

/** Ids the fuzzer uses for its own frames start here; the pings use the ones below. */
const FIRST_PING_ID = 1_000_000_000;

const frame = fc
  .oneof(
    {
      weight: 6,
      arbitrary: fc
        .record({ id: fc.integer({ min: 0, max: FIRST_PING_ID - 1 }), method, params }, { requiredKeys: ['id', 'method'] })
        .map((r) => JSON.stringify(r)),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({ id: fc.jsonValue({ maxDepth: 1 }), method: fc.jsonValue({ maxDepth: 1 }), params }, { requiredKeys: [] })
        .map((r) => JSON.stringify(r)),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes).toString('latin1')) },
  )
  .map((text) => text.replaceAll('\n', ' '));

const KNOWN_CODES = /^[A-Z][A-Z_]+$/;

/** What is wrong with one server frame, or null when it is well formed. */
export function replyProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const frame = value as Record<string, unknown>;
  if ('event' in frame) return typeof frame.event === 'string' ? null : 'event without a name';
  if (!(frame.id === null || Number.isSafeInteger(frame.id))) return 'id is neither a number nor null';
  if (frame.ok === true) return 'result' in frame ? null : 'ok without a result';
  if (frame.ok !== false) return 'ok is not a boolean';
  const error = frame.error as Record<string, unknown> | undefined;
  if (typeof error?.code !== 'string' || !KNOWN_CODES.test(error.code)) return 'error without a code';
  if (error.code === 'INTERNAL') return `INTERNAL error: ${String(error.message)}`;
  if (typeof error.message !== 'string' || error.message.includes('\n')) return 'error message is not one line';
  return null;
}

/** One connection that hands out the frames it receives, one parsed value at a time. */
class FrameReader {
  private readonly frames: unknown[] = [];
  private buffered = '';
  private wake: (() => void) | null = null;
  private closed = false;

  constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      const lines = (this.buffered + chunk).split('\n');
      this.buffered = lines.pop() ?? '';
      for (const line of lines) this.frames.push(line.trim() === '' ? { unparsable: line } : safeParse(line));
      this.wake?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
    socket.on('error', () => undefined);
  }

  /** The next frame, or an error after `timeoutMs` or when the connection closes. */
  async next(timeoutMs: number): Promise<unknown> {
    const deadline = performance.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (this.closed) throw new Error('the daemon closed the connection');
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no reply within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
    return this.frames.shift();
  }

  send(text: string): void {
    this.socket.write(`${text}\n`);
  }
}

function safeParse(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return { unparsable: line };
  }
}

function open(socketPath: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath, () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Fuzzes the daemon listening on `socketPath` for about `timeMs`; `seed` repeats a run. Each
 * reply must arrive within `replyTimeoutMs` (a loaded machine is slow, a hung daemon never answers).
 */
export async function fuzzControlSocket(
  socketPath: string,
  timeMs: number,
  options: { seed?: number; replyTimeoutMs?: number } = {},
): Promise<ProtocolFuzzOutcome> {
  const socket = await open(socketPath);
  const reader = new FrameReader(socket);
  const replyTimeoutMs = options.replyTimeoutMs ?? 10_000;
  let frames = 0;
  let replies = 0;
  let nextPing = FIRST_PING_ID;
  reader.send(JSON.stringify({ id: nextPing, method: 'hello', params: { protocol: 1, client: 'fuzz' } }));
  const check = async (text: string): Promise<boolean> => {
    frames += 1;
    reader.send(text);
    nextPing += 1;
    reader.send(JSON.stringify({ id: nextPing, method: 'ping' }));
    // Everything up to the ping's reply belongs to this frame (or to events it subscribed to).
    for (;;) {
      const reply = await reader.next(replyTimeoutMs);
      replies += 1;
      const problem = replyProblem(reply);
      if (problem !== null) throw new Error(`${problem}: ${JSON.stringify(reply).slice(0, 300)}`);
      if ((reply as { id?: unknown }).id === nextPing) {
        if ((reply as { ok: boolean }).ok) return true;
        throw new Error(`ping refused: ${JSON.stringify(reply)}`);
      }
    }
  };
  try {
    await reader.next(replyTimeoutMs);
    const details = await fc.check(fc.asyncProperty(frame, check), {
      numRuns: Number.MAX_SAFE_INTEGER,
      interruptAfterTimeLimit: timeMs,
      markInterruptAsFailure: false,
      endOnFailure: true,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    });
    const failure = details.failed
      ? `seed ${details.seed}, frame ${JSON.stringify(details.counterexample?.[0])}: ${String(details.errorInstance)}`
      : null;
    return { frames, replies, failure };
  } finally {
    socket.destroy();
  }
}
