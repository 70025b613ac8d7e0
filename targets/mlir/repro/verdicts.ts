// The last lines of a repro.sh: whether what the misbehaving tool just did ($status, and its stderr in
// <tool>.stderr) is the finding's bug. Another failure than the finding's is a "does not reproduce": that bug is
// gone, whatever the tool does now, and the message says what it did instead.
import type { StoredFinding } from '../../../contracts/corpus.ts';
import { shellQuote } from './shell.ts';

export type Verdict = {
  /** When the script says "reproduces", in words for its header. */
  readonly checks: string;
  readonly lines: readonly string[];
};

/** Frames every pass runs under: they say nothing about which code crashed. */
const MACHINERY = /^(?:mlir::detail::OpToOpPassAdaptor::|mlir::PassManager::|llvm::function_ref::callback_fn|mlir::MlirOptMain)/;

/**
 * The function name of the top meaningful frame: the fuzzer's frames have template arguments and argument lists
 * stripped, and the name itself survives that in the tool's stack dump.
 */
export function topFunction(frames: readonly string[]): string | undefined {
  for (const frame of frames) {
    if (MACHINERY.test(frame)) continue;
    const name = frame.split('::').pop()!;
    if (/^[A-Za-z_]\w*$/.test(name)) return name;
  }
  return undefined;
}

/** grep for `name` as a stack frame prints it: `ns::name(args)` symbolized, `name + 111` not (exported symbols). */
function frameGrep(name: string, file: string): string {
  return `grep -qE ${shellQuote(`[ :]${name}[( ]`)} ${file}`;
}

/**
 * The longest stretch of a normalised message (oracles/signature.ts: numbers became N, names %/@/^, quoted values
 * other than op names '…') that the tool prints literally.
 */
export function literalFragment(normalised: string): string | undefined {
  const pieces = normalised.split(/N|'…'|…|%|@|\^|\bloc\b/).map((p) => p.trim());
  const best = pieces.reduce((a, b) => (b.length > a.length ? b : a), '');
  return best.length >= 4 ? best : undefined;
}

/** The normalised diagnostic a finding's signature was made from: its `pattern`, else the signature's last fields. */
export function findingMessage(f: StoredFinding): string {
  if (f.pattern) return f.pattern;
  return f.signature.split('|').slice(f.pass !== undefined ? 3 : 2).join('|');
}

/** A shell condition true when the last run crashed as the finding did (same top function, same message). */
export function crashedAsFound(f: StoredFinding, tool: string): string {
  const fn = topFunction(f.frames);
  const said = f.frames.length === 0 ? literalFragment(findingMessage(f)) : undefined;
  const err = `${tool}.stderr`;
  return [`crashed "$status" ${err}`, ...(fn ? [frameGrep(fn, err)] : []), ...(said ? [`grep -qF -- ${shellQuote(said)} ${err}`] : [])].join(' && ');
}

export function crashVerdict(f: StoredFinding, tool: string): Verdict {
  const fn = topFunction(f.frames);
  const said = f.frames.length === 0 ? literalFragment(findingMessage(f)) : undefined;
  const err = `${tool}.stderr`;
  const lines = [`crashed "$status" ${err} || gone "${tool} exited $status without crashing"`];
  if (fn) lines.push(`${frameGrep(fn, err)} || gone ${shellQuote(`${tool} crashed, but not in ${fn} (see ${err}): another bug?`)}`);
  if (said) lines.push(`grep -qF -- ${shellQuote(said)} ${err} || gone ${shellQuote(`${tool} crashed without saying "${said}" (see ${err}): another bug?`)}`);
  lines.push(`reproduces ${shellQuote(`${tool} crashed${fn ? ` in ${fn}` : ''}${said ? `: ${said}` : ''}`)}" (exit $status)"`);
  const where = [fn && `\`${fn}\` on its stack`, said && `saying "${said}"`].filter(Boolean).join(' and ');
  return { checks: `${tool} crashes (a signal, or LLVM's crash banner)${where ? ` with ${where}` : ''}`, lines };
}

/** A pass that failed or left invalid IR, or a tool that rejected its input: the same message, from the same pass. */
export function diagnosticVerdict(f: StoredFinding, tool: string): Verdict {
  const said = literalFragment(findingMessage(f));
  const err = `${tool}.stderr`;
  // mlir-opt names the pass in the IR dump --mlir-print-ir-after-failure prints.
  const pass = tool === 'mlir-opt' ? f.pass : undefined;
  const lines = [
    `crashed "$status" ${err} && gone "${tool} crashed instead (see ${err}): another bug"`,
    `[ "$status" -ne 0 ] || gone "${tool} succeeded"`,
  ];
  if (said) lines.push(`grep -qF -- ${shellQuote(said)} ${err} || gone ${shellQuote(`${tool} failed without saying "${said}" (see ${err})`)}`);
  if (pass) lines.push(`grep -qF ${shellQuote(`Failed (${pass})`)} ${err} || gone ${shellQuote(`${tool} failed, but not in pass ${pass} (see ${err})`)}`);
  lines.push(`reproduces ${shellQuote(`${tool} failed${pass ? ` in ${pass}` : ''}${said ? `: ${said}` : ''}`)}`);
  const what = [said && `saying "${said}"`, pass && `in pass ${pass}`].filter(Boolean).join(' ');
  return { checks: `${tool} fails without crashing${what ? ` ${what}` : ''}`, lines };
}

export function hangVerdict(what: string): Verdict {
  return {
    checks: `${what} runs past TCFUZZ_REPRO_TIMEOUT seconds (default 60)`,
    lines: [`[ "$status" -eq 124 ] || gone "${what} finished (exit $status) within the time limit"`, `reproduces "${what} did not finish within the time limit"`],
  };
}

/** The lowering suffix left ops outside the LLVM dialect (lower.ts's unconvertedOps; the tools reject them later). */
export function unconvertedVerdict(): Verdict {
  return {
    checks: 'mlir-opt succeeds but leaves ops outside the LLVM dialect in its output',
    lines: [
      '[ "$status" -eq 0 ] || gone "mlir-opt failed (exit $status; see mlir-opt.stderr)"',
      // Op names at the start of a line (after the results), generic or custom form.
      "left=$(sed -E 's/^ *(%[^=]*= )?//; s/$/ /' lowered.mlir | grep -oE '^\"?[a-z_][A-Za-z0-9_$]*\\.[A-Za-z0-9_$.]+\"?[ (<{]' | tr -d '\"(<{ ' | grep -v '^llvm\\.' | grep -vx 'builtin.module' | sort -u | tr '\\n' ' ')",
      '[ -n "$left" ] && reproduces "the lowering left non-LLVM ops: $left"',
      'gone "everything was lowered to the LLVM dialect"',
    ],
  };
}
