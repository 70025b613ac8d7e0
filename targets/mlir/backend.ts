// The interface every execution backend implements, and the outcomes oracles compare.
import type { MemRefType } from '../../ir/types.ts';
import type { ToolResult } from '../../exec/tool-driver.ts';
import type { CrashInfo, Diagnostic } from './diagnostics.ts';
import type { Pipeline } from './passes/pipeline.ts';

/** MLIR text (any syntax mlir-opt accepts) with `func.func @main(memref args...)`, and @main's argument types. */
export type Program = { readonly text: string; readonly args: readonly MemRefType[] };

export type RunOptions = {
  /** Optimisation passes; the backend appends its lowering suffix. */
  readonly pipeline?: Pipeline;
  /** Wall-clock budget for running one program. Default 10 s. */
  readonly timeoutMs?: number;
  /** Wall-clock budget for compiling one program (per tool). Default 30 s. */
  readonly compileTimeoutMs?: number;
  /** Address-space limit for compiler tools. Default 4096 MiB. */
  readonly memoryLimitMb?: number;
};

export type BatchItem = { readonly program: Program; readonly inputs: readonly Uint8Array[] };

export type CompileStage = 'mlir-opt' | 'harness' | 'mlir-translate' | 'llc' | 'wasm-ld' | 'runner';

export type BackendOutcome =
  /** Every argument buffer after the run (ir/inputs.ts layout, odd-width padding bits cleared) and what it printed. */
  | { readonly kind: 'ok'; readonly buffers: readonly Uint8Array[]; readonly stdout: string }
  /**
   * A tool rejected the program. For mlir-opt, `reason` separates rejected input ('error'), a pass that failed
   * ('pass-failure') and a pass that produced invalid IR ('verifier'); 'abi' means the lowered @main no longer has
   * the signature the input ABI calls.
   */
  | {
      readonly kind: 'compile-failure';
      readonly stage: CompileStage;
      readonly reason: 'error' | 'pass-failure' | 'verifier' | 'abi' | 'output-limit';
      readonly pass?: string;
      readonly diagnostics: readonly Diagnostic[];
      readonly ir?: string;
      readonly result?: ToolResult;
    }
  /** A compiler tool died (signal, LLVM ERROR, assertion). */
  | { readonly kind: 'crash'; readonly stage: CompileStage; readonly crash: CrashInfo; readonly result: ToolResult }
  /** A compiler tool ('mlir-opt'...) or the program itself ('run') exceeded its time budget. */
  | { readonly kind: 'hang'; readonly stage: CompileStage | 'run'; readonly stdout?: string; readonly result?: ToolResult }
  /** The compiled program died: a signal natively, a WebAssembly trap in V8. */
  | { readonly kind: 'trap'; readonly message: string; readonly stdout: string; readonly result?: ToolResult }
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface Backend {
  readonly name: string;
  /** Bytes of one `index` element in argument buffers: 8 natively, 4 on wasm32. */
  readonly indexBytes: number;
  /** Undefined when the backend can run here, else why not. */
  unavailableReason(): string | undefined;
  run(program: Program, inputs: readonly Uint8Array[], opts?: RunOptions): Promise<BackendOutcome>;
  /** Same results as calling run on each item, with tool processes shared across the batch. */
  runBatch(items: readonly BatchItem[], opts?: RunOptions): Promise<BackendOutcome[]>;
  /** Releases long-lived helper processes. */
  close(): Promise<void>;
}
