// Reads program files for run/check: any MLIR syntax mlir-opt accepts, normalised to the generic form (one batched
// mlir-opt call), parsed and verified. A bad file gets one `file:line:col: error:` line and the rest go on.
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runMlirOpt } from '../targets/mlir/mlir-opt.ts';
import { findToolchain } from '../targets/mlir/toolchain.ts';
import type { Operation } from '../ir/core.ts';
import { IrError } from '../ir/diagnostic.ts';
import { parseModule } from '../ir/parser/index.ts';
import { printOp } from '../ir/printer.ts';
import { verifyModule } from '../ir/verifier.ts';
import type { MemRefType } from '../ir/types.ts';
import type { EntryResult, EntrySignature } from '../ir/entry-abi.ts';
import { buffersTooBig, entrySignature } from '../ir/entry-abi.ts';

export type LoadedProgram = {
  readonly file: string;
  /** Our generic printing of the program (after mlir-opt normalised custom syntax). */
  readonly text: string;
  readonly module: Operation;
  readonly args: readonly MemRefType[];
  /** The scalar the entry returns (only when loaded with `scalarResult`). */
  readonly result?: EntryResult;
};

/** A file that is not a program tcfuzz can check, and why; `line`/`col` point into it when known. */
export type InvalidInput = { readonly file: string; readonly line?: number; readonly col?: number; readonly message: string };

export function formatInvalid(i: InvalidInput): string {
  return `${i.file}${i.line !== undefined ? `:${i.line}:${i.col ?? 0}` : ''}: error: ${i.message}`;
}

/** The name standard input goes by (the command line's `-`, which main() renames because yargs drops it). */
export const STDIN = '<stdin>';

/**
 * Files named directly, and every *.mlir file below named directories (recursively, sorted, symlinked directories
 * not followed), each once. Anything that is not a regular file (a FIFO, a device) is skipped with a reason rather
 * than read, so a stray pipe cannot hang a batch. `-` is standard input.
 */
export function expandPaths(paths: readonly string[]): { files: string[]; skipped: InvalidInput[] } {
  const files: string[] = [];
  const skipped: InvalidInput[] = [];
  const seen = new Set<string>();
  const add = (file: string): void => {
    const key = file === STDIN ? STDIN : (realpathOr(file) ?? file);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(file);
    }
  };
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.mlir')) {
        if (e.isFile() || (e.isSymbolicLink() && statSync(path, { throwIfNoEntry: false })?.isFile())) add(path);
        else skipped.push({ file: path, message: 'not a regular file; skipped' });
      }
    }
  };
  for (const p of paths) {
    if (p === STDIN) {
      add(p);
      continue;
    }
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) walk(p);
    else if (st && !st.isFile()) skipped.push({ file: p, message: 'not a regular file; skipped' });
    else add(p); // a missing file is reported by loadPrograms, which reads it
  }
  return { files, skipped };
}

function realpathOr(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Generic form (what `gen` and `mlir-opt --mlir-print-op-generic` write): the first op is a quoted name. Such files
 * are read by tcfuzz's own parser only, so an error in one points into the user's file; custom syntax goes through
 * mlir-opt, with debug locations mapped back.
 */
export function looksGeneric(text: string): boolean {
  for (const raw of text.split('\n', 200)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('//') || /^[#!][\w$.-]+\s*=/.test(line)) continue;
    return line.startsWith('"');
  }
  return false;
}

export type LoadOptions = {
  /** Check the entry-point ABI (`@main` and its buffers). Default true; `fmt` takes any module. */
  readonly entry?: boolean;
  /** The entry function's name; default main. */
  readonly entryName?: string;
  /** Accept a no-argument entry that returns one i32, i64 or f32 (`run` prints it as mlir-runner does). */
  readonly scalarResult?: boolean;
};

export async function loadPrograms(
  files: readonly string[],
  report: (invalid: InvalidInput) => void,
  opts: LoadOptions = {},
): Promise<{ programs: LoadedProgram[]; invalid: InvalidInput[] }> {
  const invalid: InvalidInput[] = [];
  const bad = (i: InvalidInput): 'failed' => {
    invalid.push(i);
    report(i);
    return 'failed';
  };
  const slots: (LoadedProgram | 'failed' | { text: string })[] = files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file === STDIN ? 0 : file, 'utf8');
    } catch (e) {
      return bad({ file, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    }
    if (!looksGeneric(text)) return { text };
    try {
      const module = parseModule(text, file);
      // Backends always get our printing: canonical, alias-free, and without debug locations.
      return accept(file, printOp(module), module);
    } catch (e) {
      if (!(e instanceof IrError)) throw e;
      return bad(fromIrError(e, file));
    }
  });
  const custom = slots.map((s, k) => ({ s, k })).filter((x): x is { s: { text: string }; k: number } => typeof x.s === 'object' && !('module' in x.s));
  if (custom.length) {
    // With debug info the generic rendering carries each op's position in the original file.
    const toolchain = findToolchain(process.env, ['mlir-opt']);
    const normalised = await runMlirOpt(custom.map((x) => x.s.text), [], { toolchain, extraArgs: ['--mlir-print-op-generic', '--mlir-print-debuginfo'] });
    normalised.forEach((r, j) => {
      const { k } = custom[j]!;
      const file = files[k]!;
      if (r.kind !== 'ok') {
        const d = 'diagnostics' in r ? r.diagnostics.find((x) => x.severity === 'error') : undefined;
        slots[k] = bad(d ? { file, ...(d.line !== undefined && { line: d.line, col: d.col ?? 0 }), message: d.message } : { file, message: `mlir-opt ${r.kind} while reading the file` });
        return;
      }
      try {
        // Backends get plain generic text: the debug locations are for our own reports only.
        const module = parseModule(r.output, file, { sourceLocs: true });
        slots[k] = accept(file, printOp(module), module);
      } catch (e) {
        if (!(e instanceof IrError)) throw e;
        // The parser read mlir-opt's reprinting: point at the op in the user's own file instead.
        const at = e.loc && sourceLocation(r.output, e.loc.line);
        slots[k] = bad(at ? { file, line: at.line, col: at.col, message: e.message } : fromIrError(e, file));
      }
    });
  }
  const programs = slots.filter((s): s is LoadedProgram => typeof s === 'object' && 'module' in s);
  return { programs, invalid };

  function accept(file: string, text: string, module: Operation): LoadedProgram | 'failed' {
    try {
      const errors = verifyModule(module);
      if (errors.length) throw errors[0];
      const sig: EntrySignature = opts.entry === false ? { args: [] } : entrySignature(module, opts.entryName ?? 'main', file, { scalarResult: opts.scalarResult ?? false });
      const big = buffersTooBig(sig.args);
      if (big) return bad({ file, message: big });
      return { file, text, module, args: sig.args, ...(sig.result && { result: sig.result }) };
    } catch (e) {
      if (!(e instanceof IrError)) throw e;
      return bad(fromIrError(e, file));
    }
  }
}

function fromIrError(e: IrError, file: string): InvalidInput {
  return e.loc ? { file: e.loc.file, line: e.loc.line, col: e.loc.col, message: e.message } : { file, message: e.message };
}

/** The source location mlir-opt's debug info gives the op printed on `line` of its output (`loc(#loc5)` or inline). */
function sourceLocation(output: string, line: number): { line: number; col: number } | undefined {
  const text = output.split('\n')[line - 1];
  const m = text && /loc\((#loc\d*|"[^"]*":\d+:\d+)\)\s*$/.exec(text);
  if (!m) return undefined;
  let ref = m[1]!;
  if (ref.startsWith('#')) {
    const def = new RegExp(`^${ref} = loc\\(("[^"]*":\\d+:\\d+)\\)$`, 'm').exec(output);
    if (!def) return undefined;
    ref = def[1]!;
  }
  const pos = /:(\d+):(\d+)$/.exec(ref)!;
  return { line: Number(pos[1]), col: Number(pos[2]) };
}
