/** The protocol and config fuzzers of the fast tests, run longer (TEND_CHAOS_FUZZ_MS each). */
import { join } from 'node:path';
import { fuzzConfigLoader } from '../../test/helpers/fuzz-config.js';
import { fuzzControlSocket } from '../../test/helpers/fuzz-protocol.js';
import type { TendHarness } from '../../test/helpers/tend-harness.js';
import { type Outcome, envMs, verdict } from './outcome.js';

const FUZZ_MS = envMs('TEND_CHAOS_FUZZ_MS', 20_000);

export async function protocolFuzz(tend: TendHarness): Promise<Outcome> {
  const pid = tend.daemonPid();
  const outcome = await fuzzControlSocket(join(tend.home, 'tend.sock'), FUZZ_MS);
  const same = tend.daemonPid() === pid;
  return {
    scenario: `protocol fuzzer, ${FUZZ_MS / 1000} s`,
    promise: 'every frame answered well formed, never INTERNAL; same daemon',
    result: verdict(outcome.failure === null && same),
    figures: outcome.failure ?? `${outcome.frames} frames, ${outcome.replies} replies checked`,
  };
}

export async function configFuzz(dir: string): Promise<Outcome> {
  const outcome = await fuzzConfigLoader(join(dir, 'config-fuzz'), FUZZ_MS);
  return {
    scenario: `config fuzzer, ${FUZZ_MS / 1000} s`,
    promise: 'loads, or one-line TendError; nothing else thrown',
    result: verdict(outcome.failure === null),
    figures: outcome.failure ?? `${outcome.runs} configs, ${outcome.loaded} loaded`,
  };
}
