import type { DescribeResult } from '../core/instance-info.js';
import { type LogManager, type LogRoute, readLastLines, resolveLogPath } from '../logs/index.js';
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

  async tail(instance: Instance, lines: number, stream: 'out' | 'err' | 'both'): Promise<{ out: string[]; err: string[] }> {
    const files = this.files(instance);
    const read = async (file: string | null): Promise<string[]> => (file ? readLastLines(file, lines).catch(() => []) : []);
    return {
      out: stream === 'err' ? [] : await read(files.out),
      err: stream === 'out' ? [] : await read(files.err),
    };
  }
}

export function routeOf(instance: Instance): LogRoute {
  const spec = instance.spec;
  return { appName: spec.name, namespace: spec.namespace, id: instance.id, instance: instance.index, instances: spec.instances, logs: spec.logs };
}
