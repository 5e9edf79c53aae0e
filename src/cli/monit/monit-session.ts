import type { TendClient } from '../../api/client.js';
import type { LogLine } from '../../api/types.js';
import type { InstanceInfo } from '../../core/instance-info.js';
import type { DashboardView, Notice } from './dashboard.js';
import { MetricsHistory } from './history.js';
import type { MonitAction } from './keys.js';
import { mergePastLines } from '../past-line-time.js';
import { cleanLogLine, LogBuffer } from './log-buffer.js';
import { moveSelection, planRows, scrollOffset } from './rows-plan.js';

/** The daemon samples once a second; polling faster would only redraw the same numbers. */
export const POLL_INTERVAL_MS = 1000;
const TAIL_LINES = 100;

/**
 * The dashboard's state and its conversation with the daemon: polls `list()`, keeps the
 * charts' history and the log lines, and turns key actions into commands. It draws nothing;
 * `changed` tells the caller to draw again.
 */
export class MonitSession {
  private instances: InstanceInfo[] = [];
  private selectedId: number | null = null;
  private offset = 0;
  private notice: Notice | null = null;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly history = new MetricsHistory();
  private readonly logs = new LogBuffer();
  private readonly tailsAsked = new Set<number>();

  constructor(
    private readonly client: TendClient,
    private readonly changed: () => void,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.client.subscribe(['log'], (event: string, data: unknown) => {
      if (event !== 'log') return;
      const line = data as LogLine;
      this.logs.append(line.id, { stream: line.stream, line: cleanLogLine(line.line) });
      if (line.id === this.selectedId) this.changed();
    });
    await this.poll();
    this.timer = setInterval(() => void this.poll().catch(() => undefined), POLL_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Shown in the title line until the next notice; the daemon's loss replaces any other. */
  say(text: string, colour: Notice['colour']): void {
    this.notice = { text, colour };
    this.changed();
  }

  private async poll(): Promise<void> {
    const list = await this.client.list();
    this.instances = [...list].sort((a, b) => a.id - b.id);
    this.history.record(list);
    this.logs.forget(new Set(list.map((i) => i.id)));
    if (!this.instances.some((i) => i.id === this.selectedId)) this.selectedId = this.instances[0]?.id ?? null;
    this.loadTail();
    this.changed();
  }

  /** Fills the log pane of a newly selected instance from its log files, once. */
  private loadTail(): void {
    const id = this.selectedId;
    if (id === null || this.tailsAsked.has(id)) return;
    this.tailsAsked.add(id);
    this.client.logsTail([String(id)], TAIL_LINES).then(
      ([tail]) => {
        if (!tail) return;
        // The tail comes as two files: merged in time order when their lines carry times.
        const older = mergePastLines(tail.out, tail.err);
        this.logs.prepend(id, older.map((entry) => ({ ...entry, line: cleanLogLine(entry.line) })));
        this.changed();
      },
      () => this.tailsAsked.delete(id),
    );
  }

  private selectedIndex(): number {
    return Math.max(0, this.instances.findIndex((i) => i.id === this.selectedId));
  }

  /** Applies a key; returns true when the dashboard should close. */
  act(action: MonitAction): boolean {
    if (action === 'quit') return true;
    const count = this.instances.length;
    const moves: Partial<Record<MonitAction, number>> = { up: -1, down: 1, top: -count, bottom: count };
    const delta = moves[action];
    if (delta !== undefined) {
      this.selectedId = this.instances[moveSelection(this.selectedIndex(), delta, count)]?.id ?? null;
      this.loadTail();
      this.changed();
      return false;
    }
    const target = this.instances[this.selectedIndex()];
    if (target) this.command(action, target);
    return false;
  }

  private command(action: MonitAction, target: InstanceInfo): void {
    const label = `${target.name} (id ${target.id})`;
    const verbs: Partial<Record<MonitAction, [string, string, (t: string[]) => Promise<unknown>]>> = {
      restart: ['restarting', 'restarted', (t) => this.client.restart(t)],
      stop: ['stopping', 'stopped', (t) => this.client.stop(t)],
      reload: ['reloading', 'reloaded', (t) => this.client.reload(t)],
    };
    const verb = verbs[action];
    if (!verb) return;
    this.say(`${verb[0]} ${label}…`, 'yellow');
    verb[2]([String(target.id)]).then(
      () => this.say(`${verb[1]} ${label}`, 'green'),
      (error: unknown) => this.say(`${label}: ${error instanceof Error ? error.message : String(error)}`, 'red'),
    );
    void this.poll().catch(() => undefined);
  }

  view(columns: number, rows: number, title: string): DashboardView {
    const selectedIndex = this.selectedIndex();
    this.offset = scrollOffset(selectedIndex, planRows(rows, this.instances.length).listRows, this.instances.length, this.offset);
    const id = this.selectedId;
    const logs = id === null ? [] : this.logs.last(id, rows);
    return { columns, rows, title, instances: this.instances, selectedIndex, offset: this.offset, history: this.history, logs, notice: this.notice };
  }
}
