import { timeCommand } from '../lib/floor.js';
import { Manager, type ManagerKind } from '../lib/manager.js';
import type { Metric } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';

const LATENCY_RUNS = 11;
const COLD_RUNS = 7;
const KINDS: ManagerKind[] = ['tend', 'pm2'];

type Samples = Record<ManagerKind | 'floor', number[]>;

function samples(): Samples {
  return { tend: [], pm2: [], floor: [] };
}

/**
 * Runs `args` alternately on both managers and `node -e 0`, so load from anything else on the
 * machine (other test runs) hits all three alike instead of skewing one series.
 */
async function interleave(managers: Record<ManagerKind, Manager>, args: string[], into: Samples): Promise<void> {
  for (let k = 0; k < LATENCY_RUNS; k++) {
    into.floor.push(await timeCommand(process.execPath, ['-e', '0']));
    for (const kind of KINDS) into[kind].push((await managers[kind].ok(args)).ms);
  }
}

/** Cold start: the first command on a fresh home, which has to start the daemon and get its answer. */
async function coldStart(kind: ManagerKind): Promise<number> {
  const manager = new Manager(kind);
  try {
    return (await manager.ok(['ping'])).ms;
  } finally {
    await manager.cleanup();
  }
}

export const cliScenario: Scenario = {
  name: 'cli',
  summary: 'CLI latency: ping, jlist with 0 and 10 apps, cold daemon start; node -e 0 as the floor',
  async run(log) {
    const ping = samples();
    const jlist0 = samples();
    const jlist10 = samples();
    const cold = samples();
    const managers = { tend: new Manager('tend'), pm2: new Manager('pm2') };
    try {
      for (const kind of KINDS) await managers[kind].ok(['ping']);
      log('ping, jlist with 0 apps');
      await interleave(managers, ['ping'], ping);
      await interleave(managers, ['jlist'], jlist0);
      for (const kind of KINDS) await managers[kind].ok(['start', managers[kind].writeEcosystem('idle.cjs', 'idle', 10)]);
      for (const kind of KINDS) await managers[kind].waitOnline(10);
      log('jlist with 10 apps');
      await interleave(managers, ['jlist'], jlist10);
    } finally {
      for (const kind of KINDS) await managers[kind].cleanup();
    }
    log('cold starts');
    for (let k = 0; k < COLD_RUNS; k++) {
      cold.floor.push(await timeCommand(process.execPath, ['-e', '0']));
      for (const kind of KINDS) cold[kind].push(await coldStart(kind));
    }
    const metric = (name: string, values: Samples): Metric => ({
      scenario: 'cli',
      name,
      unit: 'ms',
      tend: values.tend,
      pm2: values.pm2,
      floor: { label: 'node -e 0', values: values.floor },
      target: { kind: 'ratio', max: 0.5 },
    });
    return [metric('ping', ping), metric('jlist, 0 apps', jlist0), metric('jlist, 10 apps', jlist10), metric('cold daemon start (ping)', cold)];
  },
};
