// Parent side of the WASM runner: one long-lived worker (exec/worker-process.ts) per V8 tier setting (flags are
// process-wide), a per-program watchdog, and restart-and-resume when a program hangs or takes the process down.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Attempt } from '../../../exec/batch-runner.ts';
import { runResuming } from '../../../exec/batch-runner.ts';
import { WorkerProcess } from '../../../exec/worker-process.ts';
import { compiledRunner } from './runner-build.ts';
import type { RunnerJob, RunnerMessage, RunnerProgramResult } from './runner.ts';

/** Liftoff only, TurboFan only, or V8's default (Liftoff first, hot functions tiered up). */
export type V8Tier = 'default' | 'liftoff' | 'turbofan';

/** node's flags for each V8 tier (also what a wasm finding's repro.sh runs run.mjs with). */
export const TIER_FLAGS: Readonly<Record<V8Tier, readonly string[]>> = {
  default: [],
  liftoff: ['--liftoff', '--no-wasm-tier-up'],
  turbofan: ['--no-liftoff'],
};

export type ProgramRun = RunnerProgramResult | { readonly kind: 'hang'; readonly stdout: Uint8Array } | { readonly kind: 'died'; readonly message: string };

type Program = { readonly entry: string; readonly inputs: readonly Uint8Array[] };

const RUNNER = fileURLToPath(new URL('./runner.ts', import.meta.url));

export class WasmRunnerProcess {
  private nextId = 1;
  /** Set when the plain-JS build of the runner failed to start: every later start goes through tsx. */
  private tsxOnly = false;
  private readonly worker: WorkerProcess;

  constructor(readonly tier: V8Tier) {
    this.worker = new WorkerProcess('wasm runner', async () => {
      const js = this.tsxOnly ? undefined : await compiledRunner();
      const loader = js ? [] : ['--import', import.meta.resolve('tsx')];
      return { cmd: process.execPath, args: [...loader, ...TIER_FLAGS[this.tier], '--max-old-space-size=2048', js ?? RUNNER], env: { TCFUZZ_WASM_RUNNER: '1' } };
    });
  }

  /** Runs each program of a linked module; one result per program, in order. Jobs are serialised. */
  execute(wasm: Uint8Array, programs: readonly Program[], timeoutMs: number): Promise<ProgramRun[]> {
    return this.worker.serial(() => this.executeNow(wasm, programs, timeoutMs));
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
    let child: ChildProcess;
    for (;;) {
      try {
        child = await this.worker.start();
        break;
      } catch (e) {
        if (this.tsxOnly) return rest(`cannot start the wasm runner: ${(e as Error).message}`);
        this.tsxOnly = true;
      }
    }
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
    this.worker.kill();
    if (stopped.at >= programs.length) return { kind: 'progress', results, next: programs.length };
    results.set(stopped.at, stopped.how === 'hang' ? { kind: 'hang', stdout: new Uint8Array(0) } : { kind: 'died', message: stopped.message ?? 'wasm runner died' });
    return { kind: 'progress', results, next: stopped.at + 1 };
  }

  close(): void {
    this.worker.kill();
  }
}
