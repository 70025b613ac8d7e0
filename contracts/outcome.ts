// What one execution of one program produced, on any executor. Tool behaviour (crash, hang, error) is data here.

/** Wall-clock milliseconds per stage ('mlir-opt', 'llc', 'run', 'reference', …). A batch's time is shared equally by its programs. */
export type StageTimes = Readonly<Record<string, number>>;

export type Severity = 'error' | 'warning' | 'note' | 'remark';

export type Diagnostic = {
  readonly severity: Severity;
  readonly message: string;
  /** `<stdin>`, a path, or undefined for location-less tool errors. */
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  readonly notes: readonly Diagnostic[];
};

export type StackFrame = { readonly index: number; readonly fn?: string; readonly module?: string; readonly offset?: string };

export type CrashInfo = {
  readonly signal?: string;
  /** `LLVM ERROR: ...`, an assertion or an uncaught exception's message, when the tool printed one. */
  readonly message?: string;
  /** What the tool said it was doing (LLVM's `N.\tRunning pass '...'` lines). */
  readonly context: readonly string[];
  /** Innermost first, below the signal-handling machinery. */
  readonly frames: readonly StackFrame[];
};

/** A finished tool process, as the repro writer needs it. */
export type ToolRecord = {
  readonly argv: readonly string[];
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderr: string;
  readonly durationMs: number;
};

/** A stage of compilation; each target names its own ('mlir-opt', 'llc', 'tvm.build', 'ptxas', 'harness'). */
export type Stage = string;

export type CompileFailureReason =
  /** The tool rejected its input (a parse error, unsupported construct, failed legalisation in a lowering). */
  | 'error'
  /** A pass signalled failure on valid input. */
  | 'pass-failure'
  /** A pass succeeded but left IR that fails verification. */
  | 'verifier'
  /** The compiled entry no longer has the signature the harness calls. */
  | 'abi'
  /** The tool printed more than the output limit. */
  | 'output-limit';

export type ExecOutcome = (
  /** Every argument buffer after the run (the entry ABI's layout for this executor) and the bytes it printed. */
  | { readonly kind: 'ok'; readonly buffers: readonly Uint8Array[]; readonly stdout: Uint8Array }
  | {
      readonly kind: 'compile-failure';
      readonly stage: Stage;
      readonly reason: CompileFailureReason;
      readonly pass?: string;
      readonly diagnostics: readonly Diagnostic[];
      /** The IR at the failure, when the tool printed it. */
      readonly ir?: string;
      readonly tool?: ToolRecord;
    }
  /** A compiler tool died (signal, LLVM ERROR, assertion). */
  | { readonly kind: 'crash'; readonly stage: Stage; readonly crash: CrashInfo; readonly tool?: ToolRecord }
  /** A tool, or the program itself (stage 'run'), exceeded its time budget. */
  /**
   * `stack`: where a compiler tool was when its time ran out, when it could say. `pass`: the pass it was running,
   * when the tool could say; it signs the hang (else the stack's top frames do).
   */
  | { readonly kind: 'hang'; readonly stage: Stage; readonly stdout?: Uint8Array; readonly tool?: ToolRecord; readonly stack?: CrashInfo; readonly pass?: string }
  /** The compiled program died: a signal natively, a WebAssembly trap, a CUDA error. */
  | { readonly kind: 'trap'; readonly message: string; readonly stdout: Uint8Array; readonly tool?: ToolRecord }
  /** The executor cannot run this program here (missing tool or device, or a harness limit); never a finding. */
  | { readonly kind: 'unavailable'; readonly reason: string }
) & { readonly ms: StageTimes };

export type ExecOutcomeKind = ExecOutcome['kind'];
