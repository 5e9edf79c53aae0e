/**
 * Type-level tests of the protocol map: `npm run typecheck` compiles this file, and each
 * `@ts-expect-error` line fails the typecheck if its mistake ever compiles. The runtime part
 * only proves the file loads.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TendClient } from '../../../src/api/client.js';
import type { HandlerTable, MethodHandler } from '../../../src/ipc/handler-binding.js';
import type { IpcClient } from '../../../src/ipc/client.js';
import type { IpcServer } from '../../../src/ipc/server.js';
import type { ParamsOf, ResultOf } from '../../../src/ipc/methods.js';

// A handler that returns another shape than the map's reply does not compile.
// @ts-expect-error `list` replies InstanceInfo[], not a string
export const wrongListReply: MethodHandler<'list'> = () => 'instances';
// @ts-expect-error `stop` replies InstanceInfo[], not a count
export const wrongStopReply: MethodHandler<'stop'> = async () => ({ stopped: 2 });
// A handler reads its params as the schema says.
export const readsTargets: MethodHandler<'stop'> = ({ targets }) => {
  // @ts-expect-error targets is string[], not number
  const first: number = targets[0] ?? 0;
  void first;
  return [];
};
// A table without one of the methods does not compile.
// @ts-expect-error `kill` is missing
export const partial: HandlerTable = {} as Omit<HandlerTable, 'kill'>;

export async function clientCalls(ipc: IpcClient, client: TendClient): Promise<void> {
  // @ts-expect-error an unknown method does not compile
  await ipc.request('frobnicate');
  // @ts-expect-error `stop` needs its targets
  await ipc.request('stop');
  // @ts-expect-error targets are strings
  await ipc.request('stop', { targets: [1] });
  // @ts-expect-error the reply of `list` is a list, not a record
  const wrongReply: Record<string, string> = await ipc.request('list');
  void wrongReply;
  const list = await ipc.request('list');
  // @ts-expect-error InstanceInfo has no `state`
  void list[0]?.state;
  const page: ResultOf<'metrics.prometheus'> = await ipc.request('metrics.prometheus');
  void page.text;
  const web: ParamsOf<'web.start'> = { port: 0 };
  void web;
  await client.subscribe(['log', 'instance'], (event, data) => {
    if (event === 'log') void data.line;
    // @ts-expect-error an instance event carries no line
    else void data.line;
  });
}

export function serverEvents(server: IpcServer): void {
  server.broadcast('dropped', { count: 1 });
  // @ts-expect-error a log event carries a line, not an instance count
  server.broadcast('log', { count: 1 });
  // @ts-expect-error no such event
  server.broadcast('exploded', {});
}

test('the protocol type tests compile (checked by npm run typecheck)', () => {
  assert.equal(typeof clientCalls, 'function');
});
