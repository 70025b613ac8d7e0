// A long-lived worker process over IPC (the wasm runner today; the TVM Python worker next): started on first use
// through spawnChild (so it dies with tcfuzz), ready when it sends {type: 'ready'}, killed and started afresh after
// a job it could not finish. It never keeps the parent alive by itself.
import type { ChildProcess } from 'node:child_process';
import { spawnChild } from './children.ts';

export type WorkerCommand = { readonly cmd: string; readonly args: readonly string[]; readonly env?: Readonly<Record<string, string>> };

export class WorkerProcess {
  private child: ChildProcess | undefined;
  private ready: Promise<ChildProcess> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  /** `command` is asked at every start, so a worker can change how it starts after a failed start. */
  constructor(
    private readonly name: string,
    private readonly command: () => Promise<WorkerCommand>,
    private readonly startTimeoutMs = 60_000,
  ) {}

  /** The running worker, started and ready. Rejects when it cannot start. */
  start(): Promise<ChildProcess> {
    this.ready ??= this.spawn();
    return this.ready;
  }

  private async spawn(): Promise<ChildProcess> {
    const { cmd, args, env } = await this.command();
    const child = spawnChild(cmd, args, { env: { ...process.env, ...env }, serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    child.stderr?.resume();
    child.unref();
    (child as unknown as { channel?: { unref(): void } }).channel?.unref();
    this.child = child;
    const started = new Promise<ChildProcess>((resolve, reject) => {
      // Also what keeps this process alive while it waits: the IPC channel itself is unref'd.
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${this.name} did not start within ${this.startTimeoutMs / 1000} s`));
      }, this.startTimeoutMs);
      const onMsg = (m: { type: string }): void => {
        if (m.type !== 'ready') return;
        clearTimeout(timer);
        child.off('message', onMsg);
        resolve(child);
      };
      child.on('message', onMsg);
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        if (this.child === child) this.forget();
        reject(new Error(`${this.name} exited during start (code ${code}, signal ${sig})`));
      });
    });
    started.catch(() => this.forget());
    return started;
  }

  private forget(): void {
    this.child = undefined;
    this.ready = undefined;
  }

  /** Kills the worker (a hang, a crash); the next `start` makes a new one. */
  kill(): void {
    const c = this.child;
    this.forget();
    if (c && c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }

  /** Runs `job` after every earlier one has finished: a worker serves one job at a time. */
  serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job);
    this.queue = run.catch(() => {});
    return run;
  }
}
