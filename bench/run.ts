import { cpus, totalmem } from 'node:os';
import { formatTable, type MetricRow, type ScenarioOutcome, toRow, writeResults } from './lib/report.js';
import { type Scenario, SkipScenario } from './lib/scenario.js';
import { nowMs } from './lib/time.js';
import { appRssScenario } from './scenarios/app-rss.js';
import { cliScenario } from './scenarios/cli.js';
import { clusterScenario } from './scenarios/cluster.js';
import { cpuScenario } from './scenarios/cpu.js';
import { crashLoopScenario } from './scenarios/crash-loop.js';
import { handoffScenario } from './scenarios/handoff.js';
import { kill9Scenario } from './scenarios/kill9.js';
import { logsClusterScenario, logsScenario } from './scenarios/logs.js';
import { probesScenario } from './scenarios/probes.js';
import { resurrectScenario } from './scenarios/resurrect.js';
import { rssScenario } from './scenarios/rss.js';
import { scaleScenario } from './scenarios/scale.js';
import { startScenario } from './scenarios/start.js';
import { webScenario } from './scenarios/web.js';
import { outageScenario } from './scenarios/daemon-outage.js';

const SCENARIOS: Scenario[] = [
  cliScenario,
  rssScenario,
  appRssScenario,
  cpuScenario,
  crashLoopScenario,
  startScenario,
  kill9Scenario,
  clusterScenario,
  logsScenario,
  logsClusterScenario,
  resurrectScenario,
  webScenario,
  handoffScenario,
  probesScenario,
  scaleScenario,
  outageScenario,
];

function log(line: string): void {
  process.stderr.write(`  ${line}\n`);
}

function pickScenarios(names: string[]): Scenario[] {
  if (names.length === 0) return SCENARIOS;
  const unknown = names.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown scenario: ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}\n`);
    process.exit(2);
  }
  return SCENARIOS.filter((scenario) => names.includes(scenario.name));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--list')) {
    for (const scenario of SCENARIOS) process.stdout.write(`${scenario.name.padEnd(10)} ${scenario.summary}\n`);
    return;
  }
  const rows: MetricRow[] = [];
  const outcomes: ScenarioOutcome[] = [];
  const started = nowMs();
  for (const scenario of pickScenarios(args)) {
    process.stderr.write(`[${scenario.name}] ${scenario.summary}\n`);
    const scenarioStarted = nowMs();
    const seconds = (): number => Math.round((nowMs() - scenarioStarted) / 100) / 10;
    try {
      const metrics = await scenario.run(log);
      rows.push(...metrics.map(toRow));
      outcomes.push({ scenario: scenario.name, status: 'ran', seconds: seconds() });
    } catch (error) {
      const skipped = error instanceof SkipScenario;
      const reason = error instanceof Error ? error.message : String(error);
      outcomes.push({ scenario: scenario.name, status: skipped ? 'skipped' : 'failed', reason, seconds: seconds() });
      process.stderr.write(`  ${skipped ? 'SKIPPED (not available)' : 'FAILED'}: ${reason}\n`);
    }
    process.stderr.write(`  (${seconds()} s)\n`);
  }
  process.stdout.write(`\n${formatTable(rows)}\n`);
  for (const row of rows.filter((r) => r.note !== undefined)) process.stdout.write(`note: ${row.scenario}/${row.name}: ${row.note ?? ''}\n`);
  for (const outcome of outcomes.filter((o) => o.status !== 'ran')) {
    process.stdout.write(`${outcome.scenario}: ${outcome.status === 'skipped' ? 'not available' : 'FAILED'}: ${outcome.reason ?? ''}\n`);
  }
  const misses = rows.filter((row) => row.verdict === 'MISS').length;
  const passes = rows.filter((row) => row.verdict === 'PASS').length;
  const totalSeconds = Math.round((nowMs() - started) / 1000);
  process.stdout.write(`\n${passes} PASS, ${misses} MISS in ${totalSeconds} s\n`);
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryBytes: totalmem() };
  const file = writeResults(rows, outcomes, { date: new Date().toISOString(), totalSeconds, machine });
  process.stdout.write(`results: ${file}\n`);
}

await main();
