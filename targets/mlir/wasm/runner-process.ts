// Parent side of the WASM runner: one long-lived child node process per V8 tier setting (flags are process-wide),
// a per-program watchdog, and restart-and-resume when a program hangs or takes the process down.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Attempt } from '../../../exec/batch-runner.ts';
import { runResuming } from '../../../exec/batch-runner.ts';
import { spawnChild } from '../../../exec/children.ts';
import { compiledRunner } from './runner-build.ts';
import type { RunnerJob, RunnerMessage, RunnerProgramResult } from './runner.ts';

/** Liftoff only, TurboFan only, or V8's default (Liftoff first, hot functions tiered up). */
export type V8Tier = 'default' | 'liftoff' | 'turbofan';

const TIER_FLAGS: Record<V8Tier, string[]> = {
  default: [],
  liftoff: ['--liftoff', '--no-wasm-tier-up'],
  turbofan: ['--no-liftoff'],
};

export type ProgramRun = RunnerProgramResult | { readonly kind: 'hang'; readonly stdout: Uint8Array } | { readonly kind: 'died'; readonly message: string };

type Program = { readonly entry: string; readonly inputs: readonly Uint8Array[] };

const RUNNER = fileURLToPath(new URL('./runner.ts', import.meta.url));

export class WasmRunnerProcess {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  /** Set when the plain-JS build of the runner failed to start: every later start goes through tsx. */
  private tsxOnly = false;

  constructor(readonly tier: V8Tier) {}

  private async spawn(): Promise<void> {
    if (this.child && this.ready) return this.ready;
    const js = this.tsxOnly ? undefined : await compiledRunner();
    if (this.child && this.ready) return this.ready;
    const loader = js ? [] : ['--import', import.meta.resolve('tsx')];
    // Through spawnChild, not fork: a wasm infinite loop blocks the runner's JS, so only the kernel (the reaper's
    // PDEATHSIG) can end it when tcfuzz dies without a chance to kill it.
    const child = spawnChild(process.execPath, [...loader, ...TIER_FLAGS[this.tier], '--max-old-space-size=2048', js ?? RUNNER], {
      env: { ...process.env, TCFUZZ_WASM_RUNNER: '1' },
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr?.resume();
    // The runner must never keep the parent alive on its own.
    child.unref();
    (child as unknown as { channel?: { unref(): void } }).channel?.unref();
    this.child = child;
    this.ready = new Promise((resolve, reject) => {
      // Also what keeps this process alive while it waits: the IPC channel itself is unref'd.
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('wasm runner did not start within 60 s'));
      }, 60_000);
      const onMsg = (m: { type: string }): void => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          child.off('message', onMsg);
          resolve();
        }
      };
      child.on('message', onMsg);
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        if (this.child === child) {
          this.child = undefined;
          this.ready = undefined;
        }
        reject(new Error(`wasm runner exited during start (code ${code}, signal ${sig})`));
      });
    });
    this.ready.catch(() => {});
    return this.ready;
  }

  private kill(): void {
    const c = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (c && c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }

  /** Runs each program of a linked module; one result per program, in order. Jobs are serialised. */
  execute(wasm: Uint8Array, programs: readonly Program[], timeoutMs: number): Promise<ProgramRun[]> {
    const run = this.queue.then(() => this.executeNow(wasm, programs, timeoutMs));
    this.queue = run.catch(() => {});
    return run;
  }

  private executeNow(wasm: Uint8Array, programs: readonly Program[], timeoutMs: number): Promise<ProgramRun[]> {
    return runResuming(programs, programs.length, (_, start) => this.attempt(wasm, programs, start, timeoutMs));
  }

  /** One job from `start`: the child reports each program; a hang or a death ends the attempt at that program. */
  private async attempt(wasm: Uint8Array, programs: readonly Program[], start: number, timeoutMs: number): Promise<Attempt<ProgramRun>> {
    const results = new Map<number, ProgramRun>();
    const rest = (message: string): Attempt<ProgramRun> => {
      for (let j = start; j < programs.length; j++) results.set(j, { kind: 'died', message });
      return { kind: 'progress', results, next: programs.length };
    };
    for (;;) {
      try {
        await this.spawn();
        break;
      } catch (e) {
        if (this.tsxOnly) return rest(`cannot start the wasm runner: ${(e as Error).message}`);
        this.tsxOnly = true;
      }
    }
    const child = this.child!;
    const id = this.nextId++;
    type Stop = { at: number; how: 'hang' | 'died' | 'rejected' | 'done'; message?: string };
    const stopped = await new Promise<Stop>((resolve) => {
      let next = start;
      let timer: NodeJS.Timeout;
      const arm = (): void => {
        clearTimeout(timer);
        timer = setTimeout(() => finish({ at: next, how: 'hang' }), timeoutMs);
      };
      const onMessage = (m: RunnerMessage): void => {
        if (m.type === 'ready' || m.id !== id) return;
        if (m.type === 'result') {
          results.set(m.j, m.result);
          next = m.j + 1;
          arm();
        } else if (m.type === 'done') finish({ at: programs.length, how: 'done' });
        else finish({ at: next, how: 'rejected', message: `V8 rejected the module: ${m.message}` });
      };
      const onExit = (code: number | null, sig: NodeJS.Signals | null): void =>
        finish({ at: next, how: 'died', message: `wasm runner process died (${sig ?? `exit code ${code}`})` });
      const finish = (r: Stop): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(r);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      arm();
      const job: RunnerJob = { type: 'job', id, wasm, programs, start };
      child.send(job);
    });
    if (stopped.how === 'done') return { kind: 'progress', results, next: programs.length };
    // Every program shares the module, so none of the rest can run either.
    if (stopped.how === 'rejected') return rest(stopped.message!);
    this.kill();
    if (stopped.at >= programs.length) return { kind: 'progress', results, next: programs.length };
    results.set(stopped.at, stopped.how === 'hang' ? { kind: 'hang', stdout: new Uint8Array(0) } : { kind: 'died', message: stopped.message ?? 'wasm runner died' });
    return { kind: 'progress', results, next: stopped.at + 1 };
  }

  close(): void {
    this.kill();
  }
}
