import type { DescribeResult } from '../core/instance-info.js';
import { type LastLines, type LogManager, type LogRoute, readLastLines, resolveLogPath } from '../logs/index.js';
import type { TailedLines } from './handlers.js';
import type { Instance, LogSinkLike } from './instance.js';

/** Where an instance's output goes: the log manager's routes, its files, and their last lines. */
export class AppLogs {
  constructor(
    readonly manager: LogManager,
    private readonly logsDir: string,
  ) {}

  open(instance: Instance): LogSinkLike | null {
    return this.manager.open(routeOf(instance));
  }

  files(instance: Instance): DescribeResult['logFiles'] {
    const route = routeOf(instance);
    const resolve = (path: string | null): string | null => (path === null || path === '/dev/null' ? null : resolveLogPath(path, route, this.logsDir));
    return { out: resolve(route.logs.outFile), err: resolve(route.logs.errorFile), combined: resolve(route.logs.combinedFile) };
  }

  /** `maxBytes` bounds each file's part (and with it the reply and the daemon's memory). */
  async tail(instance: Instance, lines: number, stream: 'out' | 'err' | 'both', maxBytes: number): Promise<TailedLines> {
    const files = this.files(instance);
    const none: LastLines = { lines: [], truncated: false };
    const read = async (file: string | null): Promise<LastLines> => (file ? readLastLines(file, lines, { maxBytes }).catch(() => none) : none);
    const out = stream === 'err' ? none : await read(files.out);
    const err = stream === 'out' ? none : await read(files.err);
    return { out: out.lines, err: err.lines, truncated: out.truncated || err.truncated };
  }
}

export function routeOf(instance: Instance): LogRoute {
  const spec = instance.spec;
  return { appName: spec.name, namespace: spec.namespace, id: instance.id, instance: instance.index, instances: spec.instances, logs: spec.logs };
}
