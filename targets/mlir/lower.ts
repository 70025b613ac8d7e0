// The front half both CPU backends share: optimise + lower a batch with one mlir-opt, then check that each
// lowered module still exposes the @main the harness will call.
import type { BackendOutcome, Program, RunOptions } from './backend.ts';
import type { IndexWidth } from './abi.ts';
import { loweredEntryTypes, loweredSignature } from './abi.ts';
import type { LoweredParts } from './llvm-merge.ts';
import { MergeError, splitLowered, stripArithFastmath } from './llvm-merge.ts';
import type { OptResult } from './mlir-opt.ts';
import { runMlirOpt } from './mlir-opt.ts';
import type { Pipeline } from './passes/pipeline.ts';
import type { Toolchain } from './toolchain.ts';

export type Lowered = { readonly kind: 'lowered'; readonly parts: LoweredParts } | { readonly kind: 'failed'; readonly outcome: BackendOutcome };

export async function lowerPrograms(
  programs: readonly Program[],
  suffix: Pipeline,
  opts: RunOptions & { readonly toolchain: Toolchain; readonly index: IndexWidth; readonly moduleAttribute?: string },
): Promise<Lowered[]> {
  const texts = programs.map((p) => (opts.moduleAttribute ? addModuleAttribute(p.text, opts.moduleAttribute) : p.text));
  const results = await runMlirOpt(texts, [...(opts.pipeline ?? []), ...suffix], {
    toolchain: opts.toolchain,
    timeoutMs: opts.compileTimeoutMs ?? 30_000,
    ...(opts.memoryLimitMb !== undefined ? { memoryLimitMb: opts.memoryLimitMb } : {}),
  });
  return results.map((r, k) => afterOpt(r, programs[k]!, opts.index));
}

function afterOpt(r: OptResult, program: Program, index: IndexWidth): Lowered {
  switch (r.kind) {
    case 'ok':
      break;
    case 'error':
      return { kind: 'failed', outcome: { kind: 'compile-failure', stage: 'mlir-opt', reason: 'error', diagnostics: r.diagnostics } };
    case 'pass-failure':
    case 'verifier':
      return {
        kind: 'failed',
        outcome: { kind: 'compile-failure', stage: 'mlir-opt', reason: r.kind, pass: r.pass, diagnostics: r.diagnostics, ir: r.ir },
      };
    case 'crash':
      return { kind: 'failed', outcome: { kind: 'crash', stage: 'mlir-opt', crash: r.crash, result: r.tool } };
    case 'hang':
      return { kind: 'failed', outcome: { kind: 'hang', stage: 'mlir-opt', result: r.tool } };
    case 'output-limit':
      return {
        kind: 'failed',
        outcome: { kind: 'compile-failure', stage: 'mlir-opt', reason: 'output-limit', diagnostics: [], result: r.tool },
      };
    case 'spawn-error':
      return { kind: 'failed', outcome: { kind: 'unavailable', reason: r.message } };
  }
  const text = stripArithFastmath(r.output);
  const abi = (message: string): Lowered => ({
    kind: 'failed',
    outcome: { kind: 'compile-failure', stage: 'harness', reason: 'abi', diagnostics: [{ severity: 'error', message, notes: [] }], ir: text },
  });
  const got = loweredSignature(text, 'main');
  const want = loweredEntryTypes(program.args, index);
  if (!got) return abi('the lowered module has no llvm.func @main');
  if (got.returnsValue) return abi('@main returns a value; the input ABI has outputs only in argument buffers');
  if (got.args.join(', ') !== want.join(', ')) {
    return abi(`lowered @main takes (${got.args.join(', ')}), the input ABI calls it with (${want.join(', ')})`);
  }
  const left = unconvertedOps(text);
  if (left.length > 0) {
    return {
      kind: 'failed',
      outcome: {
        kind: 'compile-failure',
        stage: 'mlir-opt',
        reason: 'error',
        diagnostics: [{ severity: 'error', message: `the lowering suffix left non-LLVM ops: ${left.join(', ')}`, notes: [] }],
        ir: text,
      },
    };
  }
  try {
    return { kind: 'lowered', parts: splitLowered(text) };
  } catch (e) {
    if (e instanceof MergeError) return abi(e.message);
    throw e;
  }
}

/** Op names other than llvm.* in a printed module: partial conversions succeed silently and leave them behind. */
export function unconvertedOps(text: string): string[] {
  const names = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim().replace(/^(?:%[\w$.-]+(?::\d+)?(?:, %[\w$.-]+(?::\d+)?)* = )/, '');
    const m = /^"?([a-z_][\w$]*\.[\w$.]+)"?[\s(<{]/.exec(line + ' ');
    if (m && !m[1]!.startsWith('llvm.') && m[1] !== 'builtin.module') names.add(m[1]!);
  }
  return [...names].sort();
}

/**
 * Adds an attribute to the top-level module, whichever way the text spells it: custom `module ... {`, generic
 * `"builtin.module"() ({...}) : () -> ()`, or no module op at all (then one is opened on the first op's line, so
 * diagnostics keep their line numbers).
 */
export function addModuleAttribute(text: string, attr: string): string {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => {
    const t = l.trim();
    return t !== '' && !t.startsWith('//') && !/^[#!][\w$.-]+\s*=/.test(t);
  });
  if (first < 0) return text;
  const line = lines[first]!;
  const custom = /^(\s*module(?:\s+@[\w$.-]+)?)(\s+attributes\s*\{)?/.exec(line);
  if (custom && /^\s*module\b/.test(line)) {
    lines[first] = custom[2]
      ? line.slice(0, custom[0].length) + `${attr}, ` + line.slice(custom[0].length)
      : custom[1] + ` attributes {${attr}}` + line.slice(custom[1]!.length);
    return lines.join('\n');
  }
  if (/^\s*"builtin\.module"/.test(line)) {
    // The generic form puts attributes after the region, on the module's last line: `}) {a = 1} : () -> ()`.
    const t = text.trimEnd();
    const m = /\}\)[ \t]*(?:\{([^\n]*)\})?([ \t]*:[ \t]*\(\)[ \t]*->[ \t]*\(\)[ \t]*)$/.exec(t);
    if (!m) return text;
    const dict = m[1] !== undefined ? `{${attr}, ${m[1]}}` : `{${attr}}`;
    return t.slice(0, m.index) + `}) ${dict} ` + m[2]!.trimStart() + text.slice(t.length);
  }
  lines[first] = `module attributes {${attr}} { ` + line;
  return lines.join('\n') + '\n}\n';
}
