import type { AppSpec } from '../core/app-spec.js';
import type { LifecycleEvent } from './lifecycle/states.js';
import { ProbeRunner } from './probes/probe-runner.js';
import { type NotifyRelay, parseNotifyAssignment } from './readiness/notify-relay.js';

/** What the health of one process tells its instance. */
export interface HealthEvents {
  /** Whether the process these checks belong to is still the instance's current one. */
  isCurrent(): boolean;
  deliver(event: LifecycleEvent): void;
  /** Something `jlist` shows changed (status text, readiness), not the state. */
  changed(): void;
  isStarting(): boolean;
}

/**
 * The health signals of an instance's current process: its sd_notify socket and STATUS= text,
 * and its readiness and liveness probes. Each becomes a lifecycle event; all are released
 * with the process.
 */
export class InstanceHealth {
  /** The last STATUS= of an sd_notify app (STOPPING=1 shows as "stopping"). */
  statusText: string | null = null;
  private probes: ProbeRunner | null = null;
  private notifyKey: string | null = null;

  constructor(private readonly relay: () => NotifyRelay) {}

  /** A fresh sd_notify socket for the process about to be spawned; its messages become events. */
  async openNotify(events: HealthEvents): Promise<string> {
    const { key, path } = await this.relay().open((assignment) => {
      if (!events.isCurrent()) return;
      const message = parseNotifyAssignment(assignment);
      if (message.type === 'ready') events.deliver({ type: 'readyReceived', kind: 'notify' });
      else if (message.type === 'watchdog') events.deliver({ type: 'watchdogPinged' });
      else if (message.type === 'status' || message.type === 'stopping') this.noteStatus(message.type === 'status' ? message.text : 'stopping', events);
    });
    this.notifyKey = key;
    return path;
  }

  startProbes(spec: AppSpec, env: Record<string, string>, wallMs: () => number, events: HealthEvents): void {
    if (!spec.readiness && !spec.liveness) return;
    const runner = new ProbeRunner({ readiness: spec.readiness, liveness: spec.liveness }, { cwd: spec.cwd, env }, wallMs, {
      turned: (probe, verdict, detail) => {
        if (!events.isCurrent() || runner !== this.probes) return;
        if (probe === 'liveness' && verdict === 'failed') return events.deliver({ type: 'livenessFailed', detail: detail ?? 'failed' });
        if (probe === 'readiness' && verdict === 'passed' && events.isStarting()) return events.deliver({ type: 'readyReceived', kind: 'probe' });
        // A readiness change of an online instance changes what jlist shows, not its state.
        events.changed();
      },
    });
    this.probes = runner;
    runner.start();
  }

  /** Probes run only while the process may serve. */
  stopProbes(): void {
    this.probes?.stop();
  }

  readinessPassing(): ReturnType<ProbeRunner['readinessPassing']> | undefined {
    return this.probes?.readinessPassing();
  }

  probeResults(): ReturnType<ProbeRunner['results']> | null {
    return this.probes?.results() ?? null;
  }

  /** Stops the probes and closes the sd_notify socket; `forNewProcess` also forgets the status text. */
  release(forNewProcess = false): void {
    this.probes?.stop();
    this.probes = null;
    if (this.notifyKey !== null) this.relay().close(this.notifyKey);
    this.notifyKey = null;
    if (forNewProcess) this.statusText = null;
  }

  private noteStatus(text: string, events: HealthEvents): void {
    if (this.statusText === text) return;
    this.statusText = text;
    events.changed();
  }
}
