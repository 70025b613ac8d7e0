// Every child process tcfuzz starts goes through here, so that none outlives tcfuzz however it stops:
// - a normal exit or a crash: the 'exit' listener kills every live child;
// - SIGINT, SIGTERM, SIGHUP: the handlers of installSignalHandlers() kill them, run the shutdown hooks, and exit
//   with 128 + the signal's number;
// - SIGKILL, which runs nothing: each child is started through native/reaper.c, which asks the kernel to SIGKILL it
//   when tcfuzz dies (PR_SET_PDEATHSIG). That signal follows the thread that spawned: call spawnChild from the main
//   thread, as today, or a child dies when the worker_threads Worker that started it ends.
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { spawn } from 'node:child_process';
import { accessSync, constants as fs } from 'node:fs';
import { constants } from 'node:os';
import { ensureReaper, REAPER_EXEC_FAILED, reaperArgv } from '../native/index.ts';

export type ChildOptions = SpawnOptions & {
  /** Address-space limit in MiB (RLIMIT_AS, like `ulimit -v`); 0 or absent: none. */
  readonly memoryLimitMb?: number;
};

/** Whether `path` is a file this process may execute (what execvp checks on each PATH entry). */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, fs.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Live children: true when the child leads its own process group (`detached`), which is then killed whole. */
const live = new Map<ChildProcess, boolean>();

let reaper: string | null | undefined;

/** The reaper's path, or null (said once on stderr) when it cannot be built here. */
function reaperPath(): string | null {
  if (reaper !== undefined) return reaper;
  const b = ensureReaper();
  if (b.ok) return (reaper = b.path);
  process.stderr.write(`tcfuzz: ${b.reason}\ntcfuzz: without it, tools still running when tcfuzz is killed with SIGKILL are left behind\n`);
  return (reaper = null);
}

/** How `cmd args` is started: through the reaper, else (no C compiler) through /bin/sh for the memory limit. */
export function childArgv(cmd: string, args: readonly string[], memoryLimitMb = 0): [string, string[]] {
  const r = reaperPath();
  if (r !== null) return reaperArgv(r, cmd, args, memoryLimitMb);
  if (memoryLimitMb <= 0) return [cmd, [...args]];
  return ['/bin/sh', ['-c', `ulimit -c 0 && ulimit -v ${Math.floor(memoryLimitMb * 1024)} && exec "$0" "$@"`, cmd, ...args]];
}

/**
 * `spawn`, for a child that must not outlive tcfuzz. With `detached` the child leads a new process group, and that
 * whole group is what gets killed. The pid is the tool's own (the reaper execs it).
 */
export function spawnChild(cmd: string, args: readonly string[], options: ChildOptions = {}): ChildProcess {
  const { memoryLimitMb, ...spawnOptions } = options;
  const [file, argv] = childArgv(cmd, args, memoryLimitMb);
  const child = spawn(file, argv, spawnOptions);
  if (child.pid !== undefined) {
    listenForExit();
    live.set(child, spawnOptions.detached === true);
    child.once('exit', () => live.delete(child));
  }
  return child;
}

/** The reason the reaper gave for not starting the tool (exit status 127), as a spawn error; else undefined. */
export function execFailure(exitCode: number | null, stderr: string): string | undefined {
  if (exitCode !== 127 || !stderr.startsWith(REAPER_EXEC_FAILED)) return undefined;
  return `spawn ${stderr.slice(REAPER_EXEC_FAILED.length).trim()}`;
}

/** Kills every live child (its whole group when it leads one) with SIGKILL. Synchronous. */
export function killChildren(): void {
  for (const [child, group] of live) {
    try {
      process.kill(group ? -child.pid! : child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

let exitListener = false;
function listenForExit(): void {
  if (exitListener) return;
  exitListener = true;
  process.on('exit', killChildren);
}

export type ShutdownHook = (signal: NodeJS.Signals) => void | Promise<void>;

const hooks = new Set<ShutdownHook>();
let stopping: NodeJS.Signals | undefined;

/**
 * Registers `hook` to run when a signal stops tcfuzz, e.g. to flush the results a command has so far; returns the
 * function that unregisters it. Hooks run after every child has been killed, all at once, for at most
 * SHUTDOWN_GRACE_MS; a second signal exits at once. A run that ends after the signal ended because of the kill:
 * report only what had finished before (`shutdownSignal()` tells whether a signal has arrived).
 */
export function onShutdown(hook: ShutdownHook): () => void {
  hooks.add(hook);
  return () => void hooks.delete(hook);
}

/** The signal that is stopping tcfuzz, or undefined while none has arrived. */
export function shutdownSignal(): NodeJS.Signals | undefined {
  return stopping;
}

export const SHUTDOWN_GRACE_MS = 5_000;
const REAP_WAIT_MS = 1_000;

/** Resolves once every live child has exited (and been reaped), or after `ms`. */
function childrenReaped(ms: number): Promise<void> {
  const waiting = [...live.keys()].map((c) => new Promise<void>((res) => (c.exitCode !== null || c.signalCode !== null ? res() : c.once('exit', () => res()))));
  return Promise.race([Promise.all(waiting).then(() => {}), new Promise<void>((res) => setTimeout(res, ms).unref())]);
}
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

/**
 * For a process's entry point (bin/tcfuzz.js), once: on SIGINT, SIGTERM or SIGHUP, kill every child, run the
 * shutdown hooks, and exit with 128 + the signal's number (130, 143, 129).
 */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  listenForExit();
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      const code = 128 + constants.signals[signal];
      killChildren();
      if (stopping !== undefined) process.exit(code);
      stopping = signal;
      const grace = setTimeout(() => process.exit(code), SHUTDOWN_GRACE_MS);
      const run = async (h: ShutdownHook): Promise<void> => {
        try {
          await h(signal);
        } catch (e) {
          process.stderr.write(`tcfuzz: on ${signal}: ${(e as Error).message}\n`);
        }
      };
      // Waiting for the killed children to be reaped leaves no zombie where the pid-1 of a container never reaps.
      void Promise.all([...[...hooks].map(run), childrenReaped(REAP_WAIT_MS)]).then(() => {
        clearTimeout(grace);
        process.exit(code);
      });
    });
  }
}
