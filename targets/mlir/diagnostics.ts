// Reads what LLVM and MLIR tools print on stderr: diagnostics with locations, crash reports with stack frames,
// and the IR that `--mlir-print-ir-after-failure` dumps. Then classifies a finished tool run.
import type { ToolResult } from '../../exec/tool-driver.ts';

import type { CrashInfo, Diagnostic, Severity, StackFrame } from '../../contracts/outcome.ts';

export type { CrashInfo, Diagnostic, Severity, StackFrame } from '../../contracts/outcome.ts';

/** One `// -----// IR Dump After <Pass> Failed (<pass-arg>) //----- //` section. */
export type FailureDump = { readonly passArg: string; readonly passName: string; readonly ir: string };

export type Classification =
  | { readonly kind: 'ok'; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'crash'; readonly crash: CrashInfo }
  /** `stack`: where the tool was when time ran out, when it printed its stack (runTool's `timeoutSignal`). */
  | { readonly kind: 'hang'; readonly stack?: CrashInfo }
  | { readonly kind: 'output-limit' }
  | { readonly kind: 'spawn-error'; readonly message: string }
  /** The tool exited non-zero with diagnostics (or none at all: some passes fail silently). */
  | { readonly kind: 'error'; readonly diagnostics: readonly Diagnostic[]; readonly dumps: readonly FailureDump[] };

const HEADER =
  /^(?:(?:[\w.-]+: )*)(?:loc\("(.*?)":(\d+):(\d+)\): |(<unknown>):0: |(.+?):(\d+):(\d+): |(.+?):(\d+): )?(error|warning|note|remark): (.*)$/;
const DUMP = /^\/\/ -----\/\/ IR Dump After (.*) Failed \(([\w.-]+)\) \/\/----- \/\/$/;

/** Diagnostics in order of appearance; source excerpt and caret lines are skipped. */
export function parseDiagnostics(stderr: string): Diagnostic[] {
  const out: { severity: Severity; message: string; file?: string; line?: number; col?: number; notes: Diagnostic[] }[] = [];
  for (const raw of stderr.split('\n')) {
    const m = HEADER.exec(raw.replace(/\r$/, ''));
    if (!m) continue;
    const severity = m[10] as Severity;
    const message = m[11]!;
    const file = m[1] ?? (m[4] !== undefined ? undefined : (m[5] ?? m[8]));
    const lineNo = m[2] ?? m[6] ?? m[9];
    const colNo = m[3] ?? m[7];
    const d = {
      severity,
      message,
      ...(file !== undefined ? { file } : {}),
      ...(lineNo !== undefined ? { line: Number(lineNo) } : {}),
      ...(colNo !== undefined ? { col: Number(colNo) } : {}),
      notes: [] as Diagnostic[],
    };
    if (severity === 'note' && out.length > 0) out[out.length - 1]!.notes.push(d);
    else out.push(d);
  }
  return out;
}

/** Every IR dump `--mlir-print-ir-after-failure` printed, with the IR that follows each header. */
export function parseFailureDumps(stderr: string): FailureDump[] {
  const dumps: FailureDump[] = [];
  let cur: { passArg: string; passName: string; lines: string[] } | undefined;
  const close = (): void => {
    if (cur) dumps.push({ passArg: cur.passArg, passName: cur.passName, ir: cur.lines.join('\n').trim() + '\n' });
    cur = undefined;
  };
  for (const line of stderr.split('\n')) {
    const m = DUMP.exec(line);
    if (m) {
      close();
      cur = { passName: m[1]!, passArg: m[2]!, lines: [] };
      continue;
    }
    if (!cur) continue;
    if (HEADER.test(line) && !line.startsWith(' ')) {
      close();
      continue;
    }
    cur.lines.push(line);
  }
  close();
  return dumps;
}

const CRASH_MARKERS = /PLEASE submit a bug report|^Stack dump:|^LLVM ERROR:|Assertion `.*' failed/m;
// Frames of the crash-reporting machinery and libc's abort path: the same in every crash, useless for dedup.
const NOISE_FRAME =
  /PrintStackTrace|RunSignalHandlers|SignalHandler|CrashRecoveryContext|report_fatal_error|reportFatal|llvm_unreachable_internal|__pthread_kill|pthread_kill|^raise$|^abort$|__assert_fail|__libc_start|^_start$|^main$/;

export function isCrash(r: ToolResult): boolean {
  if (r.timedOut || r.outputLimited) return false;
  return r.signal !== null || CRASH_MARKERS.test(r.stderr) || (r.exitCode !== null && r.exitCode >= 128);
}

export function parseCrash(r: ToolResult): CrashInfo {
  const lines = r.stderr.split('\n');
  let message: string | undefined;
  const context: string[] = [];
  const frames: StackFrame[] = [];
  for (const line of lines) {
    const fatal = /^LLVM ERROR: (.*)$/.exec(line);
    if (fatal && message === undefined) message = fatal[1]!;
    const assertion = /(Assertion `.*' failed\.?)/.exec(line);
    if (assertion && message === undefined) message = assertion[1]!;
    const ctx = /^\d+\.\t(.*)$/.exec(line);
    if (ctx && !ctx[1]!.startsWith('Program arguments:')) context.push(ctx[1]!);
    const fr = /^\s*#(\d+) 0x[0-9a-f]+ ?(.*)$/.exec(line);
    if (fr) frames.push(parseFrame(Number(fr[1]), fr[2]!.trim()));
    // LLVM_DISABLE_SYMBOLIZATION=1: `4  libMLIR.so.22.1 0x00007f… mlir::f(args) + 388`, names of exported symbols only.
    const raw = /^(\d+)\s+(\S+)\s+0x[0-9a-f]+(?: (.*?))?(?: \+ \d+)?$/.exec(line);
    if (raw && !fr) frames.push({ index: Number(raw[1]), ...(raw[3] ? { fn: raw[3] } : {}), module: raw[2]! });
  }
  const signal = r.signal ?? (r.exitCode !== null && r.exitCode >= 128 ? signalName(r.exitCode - 128) : undefined);
  // Everything up to the last signal-handling or abort frame is the crash reporter itself.
  let cut = -1;
  frames.slice(0, 12).forEach((f, k) => {
    if ((f.fn !== undefined && NOISE_FRAME.test(f.fn.replace(/\(.*$/, ''))) || (f.fn === undefined && /(?:^|\/)libc\.so/.test(f.module ?? ''))) cut = k;
  });
  const meaningful = frames.slice(cut + 1).filter((f) => f.fn === undefined || !NOISE_FRAME.test(f.fn.replace(/\(.*$/, '')));
  return {
    ...(signal ? { signal } : {}),
    ...(message !== undefined ? { message } : {}),
    context,
    frames: meaningful,
  };
}

/** `fn (module+0xoff)`, `(module+0xoff)`, or `fn file:line:col` when the frame has debug info. */
function parseFrame(index: number, rest: string): StackFrame {
  const mod = /^(.*?) ?\(([^()]*?)\+(0x[0-9a-f]+)\)$/.exec(rest);
  if (mod) {
    const fn = mod[1]!.trim();
    return { index, ...(fn ? { fn } : { offset: mod[3]! }), module: mod[2]! };
  }
  const fn = rest.replace(/ \S+:\d+(:\d+)?$/, '').trim();
  return { index, ...(fn ? { fn } : {}) };
}

function signalName(n: number): string {
  const names: Record<number, string> = { 4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL', 11: 'SIGSEGV', 5: 'SIGTRAP' };
  return names[n] ?? `signal ${n}`;
}

/** The innermost `n` frames as `fn` (argument list dropped) or `module+offset` when the symbol is not exported. */
export function topFrames(c: CrashInfo, n = 3): string[] {
  return c.frames.slice(0, n).map((f) => (f.fn !== undefined ? f.fn.replace(/\(.*$/, '') : `${(f.module ?? '?').replace(/^.*\//, '')}+${f.offset ?? '?'}`));
}

export function classify(r: ToolResult): Classification {
  if (r.spawnError !== undefined) return { kind: 'spawn-error', message: r.spawnError };
  if (r.outputLimited) return { kind: 'output-limit' };
  if (r.timedOut) return r.stderr.includes('Stack dump') ? { kind: 'hang', stack: parseCrash(r) } : { kind: 'hang' };
  if (isCrash(r)) return { kind: 'crash', crash: parseCrash(r) };
  const diagnostics = parseDiagnostics(r.stderr);
  if (r.exitCode === 0) return { kind: 'ok', diagnostics };
  return { kind: 'error', diagnostics, dumps: parseFailureDumps(r.stderr) };
}

export function formatDiagnostic(d: Diagnostic): string {
  const loc = d.file !== undefined ? `${d.file}${d.line !== undefined ? `:${d.line}` : ''}${d.col !== undefined ? `:${d.col}` : ''}: ` : '';
  return `${loc}${d.severity}: ${d.message}` + d.notes.map((n) => `\n  ${formatDiagnostic(n)}`).join('');
}
