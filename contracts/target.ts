// A target is one compiler under test; an executor is one way it compiles and runs programs (DESIGN §7).
import type { Program } from './case.ts';
import type { Features } from './coverage.ts';
import type { ExecOutcome, StageTimes } from './outcome.ts';
import type { PassCatalog, Pipeline } from './pipeline.ts';

/** What a target's programs may rely on. The reference refuses to judge a run that crosses them; that is never UB. */
export type PortabilityLimits = {
  /** Width of `index` in bits, and of each index element in argument buffers (32 on wasm32, 64 natively). */
  readonly indexBits: 32 | 64;
};

export type ExecOptions = {
  /** Wall-clock budget for running one program. Default 10 s. */
  readonly timeoutMs?: number;
  /** Wall-clock budget for one compiler tool on one program. Default 30 s. */
  readonly compileTimeoutMs?: number;
  /** Address-space limit for compiler tools. Default 4096 MiB. */
  readonly memoryLimitMb?: number;
};

export type CompileRequest = {
  readonly program: Program;
  readonly pipeline: Pipeline;
  /** Also collect coverage features of compiling this program (`CompiledBatch.features`); it costs compile time. */
  readonly coverage?: boolean;
};

/** What `compile` made of a batch. Executors extend it with their own artifacts (a merged module, a .wasm, PTX). */
export interface CompiledBatch {
  /** Per request: undefined when it compiled and can run, else its outcome (a compile failure, crash, hang, …). */
  readonly failures: readonly (ExecOutcome | undefined)[];
  /** Per request: compile time by stage, the batch's time shared equally. */
  readonly ms: readonly StageTimes[];
  /** Per request that asked for coverage: the features its compilation hit (also when it failed to compile). */
  readonly features?: readonly (Features | undefined)[];
}

/**
 * Compile and run are split so that compiling batch k+1 overlaps running batch k, an executor can keep or export
 * what it compiled (PTX, a .wasm), and a worker-based compiler (TVM) can batch either half.
 */
export interface Executor<B extends CompiledBatch = CompiledBatch> {
  /** Unique across targets: 'native', 'wasm', 'cuda', 'tvm-llvm'. */
  readonly name: string;
  readonly limits: PortabilityLimits;
  /** Undefined when this executor can run here, else why not (a missing tool or device, and how to install it). */
  unavailableReason(): string | undefined;
  compile(requests: readonly CompileRequest[], opts?: ExecOptions): Promise<B>;
  /** `inputs[k]` are request k's buffers in this executor's layout; requests that failed to compile get that outcome back. */
  run(batch: B, inputs: readonly (readonly Uint8Array[])[], opts?: ExecOptions): Promise<ExecOutcome[]>;
  /** Releases long-lived helper processes. */
  close(): Promise<void>;
}

export interface Target {
  /** 'mlir', 'tvm', 'ort'. */
  readonly name: string;
  readonly catalog: PassCatalog;
  /** Names of the executors `createExecutor` accepts. */
  readonly executors: readonly string[];
  createExecutor(name: string): Executor;
  /**
   * Undefined when the compiler accepts `pipeline`, else its message. Run once, up front, on the user's pipeline:
   * a misspelt pass or option is a usage error, not a finding on every program.
   */
  validatePipeline(pipeline: Pipeline): Promise<string | undefined>;
}
