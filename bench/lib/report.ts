import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './manager.js';

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/**
 * How a metric is judged. `ratio`: tend median / PM2 median against `max` (or `min`, for
 * throughput); `floor`: tend median / floor median; `absolute`: tend median itself.
 */
export type Target =
  | { kind: 'ratio'; max?: number; min?: number }
  | { kind: 'floor'; max: number }
  | { kind: 'absolute'; max: number };

export interface Metric {
  scenario: string;
  name: string;
  unit: string;
  tend: number[];
  pm2: number[];
  floor?: { label: string; values: number[] };
  target?: Target;
  note?: string;
}

export interface MetricRow {
  scenario: string;
  name: string;
  unit: string;
  tend: Summary | null;
  pm2: Summary | null;
  floor: (Summary & { label: string }) | null;
  ratio: number | null;
  floorRatio: number | null;
  target: string;
  verdict: 'PASS' | 'MISS' | '-';
  note?: string;
}

export interface ScenarioOutcome {
  scenario: string;
  status: 'ran' | 'skipped' | 'failed';
  reason?: string;
  seconds: number;
}

export function summarize(values: number[]): Summary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { median, min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0, runs: values.length };
}

function describeTarget(target: Target | undefined): string {
  if (target === undefined) return '';
  switch (target.kind) {
    case 'ratio':
      return target.min !== undefined ? `ratio >= ${target.min}` : `ratio <= ${target.max ?? ''}`;
    case 'floor':
      return `<= ${target.max}x floor`;
    case 'absolute':
      return `<= ${target.max}`;
  }
}

function judge(target: Target | undefined, tend: number | undefined, ratio: number | null, floorRatio: number | null): MetricRow['verdict'] {
  if (target === undefined || tend === undefined) return '-';
  switch (target.kind) {
    case 'ratio':
      if (ratio === null) return '-';
      if (target.min !== undefined) return ratio >= target.min ? 'PASS' : 'MISS';
      return ratio <= (target.max ?? Infinity) ? 'PASS' : 'MISS';
    case 'floor':
      return floorRatio === null ? '-' : floorRatio <= target.max ? 'PASS' : 'MISS';
    case 'absolute':
      return tend <= target.max ? 'PASS' : 'MISS';
  }
}

/** A ratio of two medians; 0/0 (e.g. zero errors in both) counts as 1, x/0 as Infinity. */
function ratioOf(a: number | undefined, b: number | undefined): number | null {
  if (a === undefined || b === undefined) return null;
  if (b === 0) return a === 0 ? 1 : Infinity;
  return a / b;
}

export function toRow(metric: Metric): MetricRow {
  const tend = summarize(metric.tend);
  const pm2 = summarize(metric.pm2);
  const floorSummary = metric.floor ? summarize(metric.floor.values) : null;
  const floor = floorSummary && metric.floor ? { ...floorSummary, label: metric.floor.label } : null;
  const ratio = ratioOf(tend?.median, pm2?.median);
  const floorRatio = ratioOf(tend?.median, floor?.median);
  const row: MetricRow = {
    scenario: metric.scenario,
    name: metric.name,
    unit: metric.unit,
    tend,
    pm2,
    floor,
    ratio,
    floorRatio,
    target: describeTarget(metric.target),
    verdict: judge(metric.target, tend?.median, ratio, floorRatio),
  };
  if (metric.note !== undefined) row.note = metric.note;
  return row;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toFixed(0);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function formatSummary(summary: Summary | null): string {
  if (summary === null) return 'n/a';
  if (summary.runs === 1) return formatNumber(summary.median);
  return `${formatNumber(summary.median)} [${formatNumber(summary.min)}-${formatNumber(summary.max)}]`;
}

export function formatTable(rows: MetricRow[]): string {
  const header = ['scenario', 'metric', 'unit', 'tend median [min-max]', 'PM2 median [min-max]', 'tend/PM2', 'floor', 'target', ''];
  const cells = rows.map((row) => [
    row.scenario,
    row.name,
    row.unit,
    formatSummary(row.tend),
    formatSummary(row.pm2),
    row.ratio === null ? '' : formatNumber(row.ratio),
    row.floor ? `${row.floor.label} ${formatSummary(row.floor)}${row.floorRatio === null ? '' : ` (tend ${formatNumber(row.floorRatio)}x)`}` : '',
    row.target,
    row.verdict === '-' ? '' : row.verdict,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => (line[column] ?? '').length)));
  const render = (line: string[]): string =>
    line
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [render(header), render(widths.map((width) => '-'.repeat(width))), ...cells.map(render)].join('\n');
}

export function writeResults(rows: MetricRow[], outcomes: ScenarioOutcome[], extra: Record<string, unknown>): string {
  const folder = join(REPO_ROOT, 'bench/results');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'latest.json');
  writeFileSync(file, `${JSON.stringify({ ...extra, scenarios: outcomes, metrics: rows }, null, 2)}\n`);
  return file;
}
