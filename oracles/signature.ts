// One bug, one signature (DESIGN §10): what stays the same when different programs hit the same bug, and differs
// between bugs. Tool failures are keyed by their top stack frames, or by their message with everything
// program-specific stripped; wrong results by the backend, the passes and the op that produced the first wrong value.
import type { Finding, FindingKind } from '../contracts/oracle.ts';

export type SignatureParts =
  /** A tool that crashed, hung or failed: `frames` already normalised (`normaliseFrames`), `message` raw. */
  | {
      readonly kind: Exclude<FindingKind, 'miscompile' | 'runtime-trap'>;
      readonly tool: string;
      readonly frames: readonly string[];
      readonly message?: string;
      /** The pass that failed, produced invalid IR or hung, when the tool named it. */
      readonly pass?: string;
      /**
       * The pipeline's pass names: for a hang whose tool printed no stack (it names neither a frame nor a message),
       * and for a crash or hang whose top frames are only the pass manager's (the code is unexported).
       */
      readonly passes?: readonly string[];
    }
  /** A UB-free program that trapped: the trap's class (`trapClass`) stands for its message. */
  | { readonly kind: 'runtime-trap'; readonly tool: string; readonly passes: readonly string[]; readonly message: string }
  /** A wrong result: the backend, the pipeline's pass names (no options), the op that produced the diverging value. */
  | { readonly kind: 'miscompile'; readonly executor: string; readonly passes: readonly string[]; readonly op: string };

/** Frames that make up a signature. */
export const SIGNATURE_FRAMES = 3;

/** Frames every pass runs under: top frames of only these (and unexported code) do not say which pass crashed. */
const PASS_MACHINERY = /^(?:mlir::detail::OpToOpPassAdaptor::|mlir::PassManager::|mlir::detail::walk|llvm::function_ref::callback_fn|mlir::MlirOptMain|mlir::Operation::walk)/;

/** The dedup key: `kind|tool|…`, fields joined by `|`. */
export function signature(p: SignatureParts): string {
  switch (p.kind) {
    case 'miscompile':
      return ['miscompile', p.executor, p.passes.join(','), p.op].join('|');
    case 'runtime-trap':
      return ['runtime-trap', p.tool, p.passes.join(','), trapClass(p.message)].join('|');
    default: {
      const head = [p.kind, p.tool];
      // A hang stopped in a known pass is that pass's loop, wherever in it the stack was caught.
      if (p.kind === 'hang' && p.pass !== undefined) return [...head, p.pass].join('|');
      if (p.frames.length > 0) {
        const top = p.frames.slice(0, SIGNATURE_FRAMES);
        const anonymous = top.every((f) => PASS_MACHINERY.test(f) || !f.includes('::'));
        return [...head, top.join(' < '), ...(anonymous && p.passes ? [p.passes.join(',')] : [])].join('|');
      }
      if (p.kind === 'hang') return [...head, (p.passes ?? []).join(',')].join('|');
      return [...head, ...(p.pass !== undefined ? [p.pass] : []), normaliseMessage(p.message ?? '')].join('|');
    }
  }
}

/**
 * A signature once bisection has found the pass that brings its finding ('' for the backend's own lowering): the
 * pass stands where the pipeline's pass list stood, so every pipeline that reaches the bug through it signs alike.
 * For wrong runs, and for tool failures keyed by the pipeline (a crash in unexported code, a hang with no stack).
 */
export function blamedSignature(f: Finding, pass: string): string {
  const passes = [pass === '' ? '(lowering)' : pass];
  if (f.kind === 'runtime-trap') return signature({ kind: 'runtime-trap', tool: f.tool, passes, message: f.detail });
  if (f.kind === 'miscompile') return signature({ kind: 'miscompile', executor: f.executor, passes, op: f.op ?? (f.difference?.kind === 'shape' ? 'shape' : 'unknown') });
  return signature({ kind: f.kind, tool: f.tool, frames: f.frames, passes, ...(f.kind === 'hang' && f.pass !== undefined && { pass: f.pass }) });
}

/**
 * A symbolised frame without what varies between builds and call sites: argument lists, template arguments,
 * anonymous namespaces, lambda and clone numbering, addresses and offsets. Undefined for a frame with no symbol.
 */
export function normaliseFrame(fn: string | undefined): string | undefined {
  if (fn === undefined) return undefined;
  let s = fn.trim();
  if (s === '' || s === '?' || s === '??') return undefined;
  s = s
    .replace(/\s*\(\/[^()]*\+0x[0-9a-f]+\)$/i, '') // (module+0xoff) when the symbolizer kept it
    .replace(/\s+\/\S+:\d+(?::\d+)?$/, '') // file:line:col
    .replace(/\s*\[clone [^\]]*\]/g, '')
    .replace(/\.(?:isra|constprop|part|cold|lto_priv)\.\d+/g, '')
    .replace(/\(anonymous namespace\)::/g, '')
    .replace(/\{lambda\([^{}]*\)#\d+\}/g, '{lambda}')
    .replace(/\$_\d+/g, '$_')
    .replace(/'lambda\d*'\([^)]*\)/g, 'lambda');
  // operator<, operator<< and operator-> would look like template brackets: set them aside while those go.
  const operators: string[] = [];
  s = s.replace(/operator(?:<<=?|>>=?|<=>|<=|>=|<|>|->\*?)/g, (m) => `\u0001${operators.push(m) - 1}\u0002`);
  // Template arguments, innermost first, so nested ones go too.
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(/<[^<>]*>/g, '');
  }
  // The argument list (and a trailing const): from the last top-level '(' that closes at the end.
  if (s.endsWith(')') || s.endsWith(') const')) {
    const end = s.lastIndexOf(')');
    let depth = 0;
    for (let i = end; i >= 0; i--) {
      if (s[i] === ')') depth++;
      else if (s[i] === '(' && --depth === 0) {
        if (i > 0) s = s.slice(0, i);
        break;
      }
    }
  }
  s = s
    .replace(/\u0001(\d+)\u0002/g, (_m, k: string) => operators[Number(k)]!)
    .replace(/0x[0-9a-f]+/gi, '')
    .replace(/\s+/g, ' ')
    .trim()
    // A template instance's return type ("void llvm::function_ref::callback_fn").
    .replace(/^(?:[\w:]+[*&]*\s+)+(?=\S+$)/, '');
  return s === '' ? undefined : s;
}

/**
 * The top `n` frames, normalised. A frame without a symbol (an unexported function) stands as its library's name
 * without version or offset (`libMLIR.so`); frames with no symbol and no library are skipped.
 */
export function normaliseFrames(frames: readonly { readonly fn?: string; readonly module?: string }[], n = SIGNATURE_FRAMES): string[] {
  const out: string[] = [];
  for (const f of frames) {
    // tcfuzz's own libraries in the tool (the coverage plugin's action handler wraps every pass and pattern) are
    // there only under the fuzzer: the same crash replayed without them must sign alike.
    if (f.module !== undefined && TCFUZZ_LIBRARY.test(f.module)) continue;
    const s = normaliseFrame(f.fn) ?? (f.module ? f.module.replace(/^.*\//, '').replace(/(\.so)(?:\.\d+)+$/, '$1') : undefined);
    // The action-tracing frames (and the unexported lambdas around them) are there only when mlir-opt logs its
    // actions, as the fuzzer's coverage runs do: without dropping them, a crash found while fuzzing would sign
    // differently from the same crash replayed by triage. Unexported frames of one library in a row count once.
    if (s === undefined || TRACING.test(s) || (!s.includes('::') && out[out.length - 1] === s)) continue;
    out.push(s);
    if (out.length === n) break;
  }
  return out;
}

const TRACING = /^mlir::(?:tracing::|MLIRContext::executeAction)/;
const TCFUZZ_LIBRARY = /(?:^|\/)libtcfuzz_[^/]*$/;

/** An op name in quotes ('arith.addi') says which op a message is about: it stays; other quoted text goes. */
const OP_NAME = /^[a-z_][\w$]*(?:\.[\w$]+)+$/;

/**
 * A diagnostic, `LLVM ERROR` or assertion text without what a program contributes: numbers, SSA names (%x),
 * symbol names (@f), quoted strings other than op names, type sizes (i32 → iN, 4x8xf32 → NxNxfN), locations
 * and addresses. An assertion (`Assertion `cond' failed`) is compiler source text and stays as written.
 */
export function normaliseMessage(text: string): string {
  const first = text.trim().split('\n')[0] ?? '';
  const assertion = /Assertion `[\s\S]*' failed/.exec(first);
  if (assertion) return assertion[0];
  return first
    .replace(/^(?:[\w./<>-]+:\d+:\d+: )?(?:error|warning|note|remark): /, '')
    // A list of op names ("left non-LLVM ops: affine.for, arith.addi, …") is whatever the program held around the
    // op that could not be lowered: it varies with the program, not with the bug (bisection names the pass).
    .replace(/[a-z_]+\.[\w.]+(?:, [a-z_]+\.[\w.]+)+/g, '…')
    // So is a list of argument types ("lowered @main takes (!llvm.ptr, i64, …)"): it follows the program's buffers.
    .replace(/\((?:[^()]*,)[^()]*\)/g, '(…)')
    .replace(/loc\([^)]*\)/g, 'loc')
    .replace(/'([^'\n]*)'|"((?:[^"\\\n]|\\.)*)"/g, (m, a: string | undefined, b: string | undefined) => (OP_NAME.test(a ?? b ?? '') ? m : "'…'"))
    .replace(/%[\w.$-]+(?:#\d+)?/g, '%')
    .replace(/@[\w.$-]+/g, '@')
    .replace(/\^[\w.$-]+/g, '^')
    .replace(/0x[0-9a-f]+/gi, 'N')
    .replace(/\d+/g, 'N')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 240);
}

/**
 * What kind of trap a message reports, so glibc's variants ("double free or corruption (!prev)", "free(): double
 * free detected in tcache 2") and the wasm runtime's share one name; anything else is its normalised message.
 */
export function trapClass(message: string): string {
  const m = message.toLowerCase();
  if (/double free/.test(m)) return 'double free';
  if (/free\(\): invalid|invalid (?:free|pointer)|munmap_chunk|free of a pointer/.test(m)) return 'invalid free';
  if (/use after free|freed memory/.test(m)) return 'use after free';
  if (/corrupt|malloc\(\)|free\(\)/.test(m)) return 'heap corruption';
  if (/sigsegv|sigbus|memory access out of bounds|out of bounds memory access/.test(m)) return 'memory fault';
  if (/sigfpe|divide by zero|integer overflow|division/.test(m)) return 'arithmetic';
  if (/unreachable/.test(m)) return 'unreachable';
  if (/out of memory/.test(m)) return 'out of memory';
  if (/stack overflow|call stack size/.test(m)) return 'stack overflow';
  if (/sigabrt|abort/.test(m)) return 'abort';
  return normaliseMessage(message);
}
