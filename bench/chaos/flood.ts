/** A 1 GB log flood (TEND_CHAOS_FLOOD_MB): the daemon's RSS growth stays under 64 MiB and ping answers throughout. */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { TendClient } from '../../src/api/index.js';
import { FIXTURES, TendHarness, delay } from '../../test/helpers/tend-harness.js';
import { type Outcome, envMs, rssMiB, verdict } from './outcome.js';

const LINE_BYTES = 100;
const RSS_GROWTH_LIMIT_MIB = 64;

export async function logFlood(): Promise<Outcome> {
  const megabytes = envMs('TEND_CHAOS_FLOOD_MB', 1000);
  const lines = Math.floor((megabytes * 1_000_000) / LINE_BYTES);
  const tend = new TendHarness('tend-chaos-flood-');
  try {
    await tend.ok(['ping']);
    const client = await TendClient.connect({ home: tend.home, autoStart: false });
    const pid = client.daemon.pid;
    const base = rssMiB(pid);
    let peak = base;
    let worstPingMs = 0;
    const file = join(tend.home, 'logs', 'flood-out.log');
    const size = (): number => {
      try {
        return statSync(file).size;
      } catch {
        return 0;
      }
    };
    const started = performance.now();
    await tend.ok(['start', join(FIXTURES, 'log-flood.js'), '--name', 'flood', '--no-autorestart', '--', String(lines)]);
    const deadline = started + 900_000;
    while (size() < lines * LINE_BYTES && performance.now() < deadline) {
      const asked = performance.now();
      await client.ping();
      worstPingMs = Math.max(worstPingMs, performance.now() - asked);
      peak = Math.max(peak, rssMiB(pid));
      await delay(50);
    }
    const seconds = (performance.now() - started) / 1000;
    client.close();
    const written = size();
    const growth = peak - base;
    return {
      scenario: `${megabytes} MB log flood`,
      promise: `daemon RSS growth < ${RSS_GROWTH_LIMIT_MIB} MiB, every byte written, ping answers`,
      result: verdict(growth < RSS_GROWTH_LIMIT_MIB && written === lines * LINE_BYTES),
      figures: `${(written / 1e6).toFixed(0)} MB in ${seconds.toFixed(0)} s (${(written / 1e6 / seconds).toFixed(0)} MB/s); RSS ${base.toFixed(1)}->${peak.toFixed(1)} MiB peak; worst ping ${worstPingMs.toFixed(0)} ms`,
    };
  } finally {
    await tend.cleanup();
  }
}
