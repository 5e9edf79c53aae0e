/** Daemon SIGKILL at random moments of start, reload, save, scale and delete (TEND_CHAOS_KILL9_ROUNDS rounds). */
import { planRounds, runKill9Rounds, setUpApps } from '../../test/helpers/kill9-rounds.js';
import { TendHarness } from '../../test/helpers/tend-harness.js';
import { type Outcome, envMs, verdict } from './outcome.js';

export async function kill9AtRandomMoments(): Promise<Outcome> {
  const rounds = envMs('TEND_CHAOS_KILL9_ROUNDS', 25);
  const seed = Number(process.env.TEND_FUZZ_SEED ?? Date.now() % 1_000_000);
  // A home of its own: the rounds add and delete apps.
  const tend = new TendHarness('tend-chaos-k9-');
  try {
    await setUpApps(tend);
    const outcome = await runKill9Rounds(tend, planRounds(rounds, seed));
    return {
      scenario: `daemon SIGKILL in start/reload/save/scale/delete, ${rounds} rounds`,
      promise:
        'same apps (a cut delete or scale-down: stopped, done when given again), no duplicates, no orphans, state and dump parse',
      result: verdict(outcome.failure === null),
      figures:
        outcome.failure !== null
          ? `seed ${seed}, ${outcome.failure}`
          : `seed ${seed}: ${outcome.rounds} rounds, ${outcome.rounds - outcome.finishedFirst} killed mid-command`,
    };
  } finally {
    await tend.cleanup();
  }
}
