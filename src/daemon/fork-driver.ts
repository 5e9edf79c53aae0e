import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { resolveRuntimePath } from '../cluster/host-path.js';
import { systemClock } from '../core/clock.js';
import type { AdoptRecord, DriverEvents, HolderRef, InstanceDriver, SpawnRequest, SpawnedInstance } from '../core/driver.js';
import { TendError } from '../core/errors.js';
import { readProcStat } from '../metrics/proc-stat.js';
import { enterAppCgroup } from './app-cgroup.js';
import { type SpawnPlan, checkRunnableAs, planSpawnAs } from './drop-privileges.js';
import { HolderDirPool } from './holder-dir-pool.js';
import { decodeHolderStatus, openOutputFifo, releaseHolder } from './holder-files.js';
import { EXIT_CODE_FILE, type ExitStatus, HOLDER_SHELL, type HolderTools, findHolderTools, holderArgs } from './holder-script.js';
import { HeldInstance, watchAdoptedExit } from './held-instance.js';
import { readyFdOf } from './instance-env.js';
import { type GatedApp, ReleasePacer } from './release-pacer.js';
import { SpawnTurns } from './spawn-queue.js';

/**
 * systemd's LISTEN_PID is the app's own pid: a shell that sets it to its own and execs the app
 * in place. Apps that inherit sockets or READY_FD are spawned directly (the holder keeps its
 * own fds 4-9 and closes them for the app), with this shell in front when it has sockets.
 */
const LISTEN_PID_SCRIPT = 'LISTEN_PID=$$; export LISTEN_PID; exec "$0" "$@"';

/**
 * While more spawns are under way, gated apps are handed to the release pacer about this many
 * at a time (each batch once the state file names it). All at once, 1,000 apps came online
 * (min_uptime) in the same timer turn, which kept the daemon from its sockets for ~750 ms.
 * How many of them boot at once is the pacer's business (release-pacer.ts).
 */
export const GO_BATCH = 32;

/** Loaded into every fork-mode Node app: its stdout and stderr pipes become blocking. */
const STDIO_PRELOAD = 'stdio-blocking.cjs';

export interface ForkDriverOptions {
  /** TEND_HOME/holders; null runs apps without holders (tests of the driver alone). */
  holdersDir: string | null;
  /**
   * Resolves once the state file names every instance spawned so far (StateKeeper.recorded):
   * the go line waits for it, so an app never boots unknown to the state file. A holder whose
   * daemon dies before its go line sees its stdin end and ends its app before the app ran.
   */
  recorded?: () => Promise<void>;
  /** Called after each holder is spawned: the daemon's memory upkeep (createSpawnReclaim). */
  afterSpawn?: () => void;
}

/**
 * Runs an instance in its own session, with an argument array, under a holder (see
 * holder-script.ts): the holder is the app's parent and keeps its output pipes and exit status
 * for the next daemon, should this one die.
 *
 * Spawning is gated. Spawning blocks the daemon until the new process has exec'd, and on a
 * busy machine that new process waits for a CPU behind the apps that are already booting:
 * starting 50 Node apps on 2 cores took ~2.4 s of spawn calls, single calls blocking the daemon
 * for 230 ms. So each app waits in its holder for the daemon's go line. A batch is handed to
 * the release pacer when no spawn is under way any more, and the pacer lets its apps boot
 * about as many at once as there are cores (release-pacer.ts).
 *
 * An app run as another user: the holder (the daemon's user) makes and opens the FIFOs in its
 * 0700 folder, then the app's process drops to the app's user and groups with setpriv as it
 * execs (same pid; drop-privileges.ts), so the app holds the open write ends and never a path
 * into TEND_HOME. Without a holder (an app run as another user where setpriv cannot drop, as
 * without root or setpriv; a system without /bin/sh, mkfifo or setsid; an app that inherits
 * sockets or READY_FD as fd 3 onwards) the app is spawned directly.
 */
export class ForkDriver implements InstanceDriver {
  private readonly gated: GatedApp[] = [];
  private releaseScheduled = false;
  private spawnsUnderWay = 0;
  private readonly holdersDir: string | null;
  private readonly recorded: () => Promise<void>;
  private readonly afterSpawn: () => void;
  private readonly preloadPath = resolveRuntimePath(STDIO_PRELOAD);
  private readonly pacer = new ReleasePacer(systemClock);
  private readonly turns = new SpawnTurns(systemClock);
  private dirPool: HolderDirPool | null = null;

  constructor(options: ForkDriverOptions = { holdersDir: null }) {
    this.holdersDir = options.holdersDir;
    this.recorded = options.recorded ?? (() => Promise.resolve());
    this.afterSpawn = options.afterSpawn ?? (() => undefined);
  }

  async spawn(request: SpawnRequest, events: DriverEvents): Promise<SpawnedInstance> {
    const { spec } = request;
    const command = spec.interpreter ?? spec.script;
    const isNode = spec.interpreter !== null && isNodeInterpreter(spec.interpreter);
    // Node writes to a pipe asynchronously: what it queued when the app exits is lost (an app
    // that logged 30,000 lines and exited lost most of them). The preload makes the writes block.
    const preload = isNode ? ['--require', this.preloadPath] : [];
    const args = spec.interpreter ? [...spec.interpreterArgs, ...preload, spec.script, ...spec.args] : [...spec.args];
    // Every Node app gets an IPC channel, as under child_process.fork: apps written for PM2
    // call process.send('ready') without wait_ready, and would crash without one. A message
    // nobody waits for is ignored; the channel is unref'd, so it keeps no app alive.
    const withIpc = isNode;
    const tools = findHolderTools();
    const inheritsFds = (request.listenFds?.length ?? 0) > 0 || spec.readyProtocol === 'fd';
    const asOtherUser = spec.uid !== null || spec.gid !== null;
    // As another user under a holder, the app drops to its user through setpriv (the user's
    // groups too, drop-privileges.ts); where that cannot be done it is spawned directly.
    const plan = asOtherUser ? planSpawnAs(command, args, spec) : null;
    if (this.holdersDir === null || tools === null || !isAbsolute(command) || (plan !== null && !plan.viaSetpriv) || inheritsFds) {
      return this.spawnDirect(request, command, args, withIpc, events);
    }
    // Counted from here: a batch is let go only once a turn passed with no spawn under way, and
    // this one awaits its folder and its turn before its holder exists.
    this.spawnsUnderWay += 1;
    try {
      return await this.spawnHeld(request, { holdersDir: this.holdersDir, command, args, isNode, withIpc, tools, plan }, events);
    } finally {
      this.spawnsUnderWay -= 1;
      this.scheduleRelease();
    }
  }

  private async spawnHeld(request: SpawnRequest, how: HeldSpawn, events: DriverEvents): Promise<SpawnedInstance> {
    const { spec, env } = request;
    const { holdersDir, command, args, isNode, withIpc, tools, plan } = how;
    const asOtherUser = plan !== null;
    checkExecutable(command, spec.cwd);
    if (plan !== null) await checkRunnableAs(plan, command, spec.cwd);
    this.dirPool ??= new HolderDirPool(holdersDir, tools.mkfifo);
    const dir = await this.dirPool.take(request.id);
    // A Node app says which code it exits with (the holder's shell reports 128+n for signal n
    // too); one run as another user cannot reach the holder's folder, and keeps the shell's status.
    const holderEnv = isNode && !asOtherUser ? { ...env, TEND_EXIT_FILE: join(dir, EXIT_CODE_FILE) } : env;
    const [appCommand, ...appArgs] = plan !== null ? [plan.file, ...plan.argv] : [command, ...args];
    // Node puts every signal's disposition back to its default as it starts, so a Node app
    // needs no `env --default-signal` in front of it: one exec less (~8 ms of CPU on a busy
    // 2-core machine) for each start and restart.
    const holderTools = isNode ? { ...tools, env: null } : tools;
    await this.turns.take();
    const holder = spawn(HOLDER_SHELL, holderArgs(dir, holderTools, holderEnv, appCommand as string, appArgs), {
      cwd: spec.cwd,
      env: holderEnv,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe', withIpc ? 'ipc' : 'ignore'],
    });
    this.afterSpawn();
    let lines: HolderLines;
    let markReleased: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (markReleased = resolve));
    try {
      await waitForSpawn(holder, command, spec.cwd);
      // A holder that died (stopped before release) must not turn its closed pipe into an error.
      holder.stdin?.on('error', () => undefined);
      lines = await readHolderLines(holder, dir, command, spec.cwd);
      // Still at its start gate: it joins its cgroup before it runs any of its own code.
      await enterAppCgroup(dir, lines.pid);
      this.gated.push({
        pid: lines.pid,
        go: () => {
          holder.stdin?.end('go\n');
          markReleased();
        },
      });
    } catch (error) {
      holder.kill('SIGKILL');
      releaseHolder(dir);
      throw error;
    }
    const record: HolderRef = { pid: holder.pid as number, startTimeTicks: readProcStat(holder.pid as number)?.startTimeTicks ?? 0, dir };
    const instance = new HeldInstance({ pid: lines.pid, startTimeTicks: readProcStat(lines.pid)?.startTimeTicks ?? 0 }, record, holder, openOutputFifo(dir, 'out'), openOutputFifo(dir, 'err'));
    instance.released = released;
    // A holder that ends before its go (stopped at the gate) lets no one wait for it.
    void lines.status.then((exit) => {
      markReleased();
      instance.reportExit(exit, events);
    });
    // Killed itself before it could report, the holder leaves an unknown exit.
    holder.on('exit', () => {
      markReleased();
      setImmediate(() => instance.reportExit({ code: null, signal: null }, events));
    });
    listenForMessages(holder, events);
    return instance;
  }

  /**
   * Takes over an instance a previous daemon left running under its holder (recovery checked
   * both by pid, start time and owner): reads its FIFOs again and reports its exit from the
   * holder's status file once the holder is gone. It has no IPC channel any more.
   */
  adopt(record: AdoptRecord, events: DriverEvents): SpawnedInstance {
    const { holder } = record;
    // Paused until the app's log files are open: what waited in the pipes while no daemon ran
    // (an outage's backlog) is then written as it is read, never queued behind the opens.
    const paused = { paused: true };
    const instance = new HeldInstance(record.process, holder, null, openOutputFifo(holder.dir, 'out', paused), openOutputFifo(holder.dir, 'err', paused));
    watchAdoptedExit(instance, events);
    return instance;
  }

  /** The no-holder path: the app is the daemon's child, its output on pipes to the daemon. */
  private async spawnDirect(request: SpawnRequest, command: string, args: string[], withIpc: boolean, events: DriverEvents): Promise<SpawnedInstance> {
    const { spec, env } = request;
    const listenFds = request.listenFds ?? [];
    const [file, argv] = listenFds.length > 0 && isAbsolute(HOLDER_SHELL) ? [HOLDER_SHELL, ['-c', LISTEN_PID_SCRIPT, command, ...args]] : [command, args];
    // fd 3 onwards: the inherited sockets (LISTEN_FDS), then READY_FD, then Node's IPC channel.
    const readyFd = spec.readyProtocol === 'fd' ? readyFdOf(spec) : null;
    // As another user: through setpriv where it can give the user's groups too (drop-privileges.ts).
    const plan = planSpawnAs(file, argv, spec);
    await checkRunnableAs(plan, command, spec.cwd);
    await this.turns.take();
    const child = spawn(plan.file, plan.argv, {
      cwd: spec.cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', ...listenFds, ...(readyFd !== null ? ['pipe' as const] : []), withIpc ? 'ipc' : 'ignore'],
      ...(plan.uid !== undefined ? { uid: plan.uid } : {}),
      ...(plan.gid !== undefined ? { gid: plan.gid } : {}),
    });
    await waitForSpawn(child, command, spec.cwd);
    const pid = child.pid as number;
    const instance = new HeldInstance({ pid, startTimeTicks: readProcStat(pid)?.startTimeTicks ?? 0 }, null, child, child.stdout, child.stderr);
    child.on('exit', (code, signal) => instance.reportExit({ code, signal }, events));
    if (readyFd !== null) watchReadyFd(child, readyFd, events);
    listenForMessages(child, events);
    return instance;
  }

  /**
   * Hands every gated app to the release pacer once a turn of the event loop passed with no
   * spawn under way: the spawns of one command (an ecosystem file, a resurrect) follow each
   * other without such a turn, so the whole batch is spawned before any of its apps boots. The
   * batch waits for the state file to name it. A start of more than GO_BATCH apps is handed
   * over in batches of about that size.
   */
  private scheduleRelease(): void {
    if (this.releaseScheduled) return;
    this.releaseScheduled = true;
    setImmediate(() => {
      this.releaseScheduled = false;
      // The last of them schedules it again; a large start lets its apps go GO_BATCH at a time.
      if (this.spawnsUnderWay > 0 && this.gated.length < GO_BATCH) return;
      const batch = this.gated.splice(0);
      if (batch.length === 0) return;
      void this.recorded().then(() => this.pacer.release(batch));
    });
  }
}

/** s6's readiness notification: the app writes a newline to READY_FD once it is ready. */
function watchReadyFd(child: ChildProcess, fd: number, events: DriverEvents): void {
  const stream = child.stdio[fd] as NodeJS.ReadableStream | null | undefined;
  if (!stream) return;
  const onData = (chunk: Buffer): void => {
    if (!chunk.includes(0x0a)) return;
    stream.removeListener('data', onData);
    events.readyReceived('fd');
    stream.resume();
  };
  stream.on('data', onData);
  stream.on('error', () => undefined);
}

function listenForMessages(child: ChildProcess, events: DriverEvents): void {
  child.on('message', (message) => {
    if (message === 'ready') events.readyReceived('ready');
    else events.messageReceived(message);
  });
  // A send to an app that already closed its channel must not take the daemon down.
  child.on('error', () => undefined);
}

/** What ForkDriver.spawn decided for an app run under a holder. */
interface HeldSpawn {
  holdersDir: string;
  command: string;
  args: string[];
  isNode: boolean;
  withIpc: boolean;
  tools: HolderTools;
  /** How it drops to another user (through setpriv), or null to run as the daemon's. */
  plan: SpawnPlan | null;
}

interface HolderLines {
  pid: number;
  /** The app's exit, once the holder printed it. */
  status: Promise<ExitStatus>;
}

/**
 * The holder's two lines: the app's pid, then its wait status. Rejects when the holder ends
 * before the first (its stderr says why).
 */
function readHolderLines(holder: ChildProcess, dir: string, command: string, cwd: string): Promise<HolderLines> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    let resolveStatus: (exit: ExitStatus) => void = () => undefined;
    const status = new Promise<ExitStatus>((done) => (resolveStatus = done));
    holder.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    const onExit = (): void => {
      reject(new TendError('INTERNAL', `cannot start ${command} in ${cwd}: its holder failed: ${err.trim() || 'no reason given'}`));
    };
    holder.once('exit', onExit);
    holder.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /^(\d+)\n(?:(\d+)\n)?/.exec(out);
      if (match === null) return;
      holder.off('exit', onExit);
      resolve({ pid: Number(match[1]), status });
      if (match[2] !== undefined) {
        resolveStatus(decodeHolderStatus(dir, Number(match[2])));
        holder.stdout?.destroy();
      }
    });
  });
}

/** The checks the kernel would make at exec, made before the gate so a failure stays a clear error. */
function checkExecutable(command: string, cwd: string): void {
  try {
    accessSync(command, constants.X_OK);
  } catch (error) {
    throw spawnError(error as NodeJS.ErrnoException, command, cwd);
  }
}

function spawnError(error: NodeJS.ErrnoException, command: string, cwd: string): TendError {
  // spawn says ENOENT for a missing cwd as for a missing command: name the one that is missing.
  if (error.code === 'ENOENT' && !existsSync(cwd)) {
    return new TendError('SCRIPT_NOT_FOUND', `cannot start ${command}: its cwd ${cwd} does not exist`, { cause: error });
  }
  const why = error.code === 'ENOENT' ? 'not found' : error.code === 'EACCES' ? 'not executable (EACCES)' : error.message;
  const code = error.code === 'ENOENT' ? 'SCRIPT_NOT_FOUND' : 'INVALID_ARGUMENT';
  return new TendError(code, `cannot start ${command} in ${cwd}: ${why}`, { cause: error });
}

function waitForSpawn(child: ChildProcess, command: string, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('spawn', () => {
      child.removeAllListeners('error');
      resolve();
    });
    child.once('error', (error: NodeJS.ErrnoException) => reject(spawnError(error, command, cwd)));
  });
}

function isNodeInterpreter(interpreter: string): boolean {
  return interpreter === process.execPath || /^node(\d+)?(\.exe)?$/.test(basename(interpreter));
}
