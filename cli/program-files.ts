// Reads program files for run/check: any MLIR syntax mlir-opt accepts, normalised to the generic form (one batched
// mlir-opt call), parsed and verified. A bad file gets one `file:line:col: error:` line and the rest go on.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runMlirOpt } from '../targets/mlir/mlir-opt.ts';
import type { Operation } from '../ir/core.ts';
import { IrError } from '../ir/diagnostic.ts';
import { parseModule } from '../ir/parser/index.ts';
import { printOp } from '../ir/printer.ts';
import { verifyModule } from '../ir/verifier.ts';
import type { MemRefType } from '../ir/types.ts';
import { entryArgs } from '../ir/entry-abi.ts';

export type LoadedProgram = {
  readonly file: string;
  /** Our generic printing of the program (after mlir-opt normalised custom syntax). */
  readonly text: string;
  readonly module: Operation;
  readonly args: readonly MemRefType[];
};

/** Files named directly, and the *.mlir files of named directories, in sorted order. */
export function expandPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (statSync(p, { throwIfNoEntry: false })?.isDirectory()) {
      out.push(...readdirSync(p).filter((f) => f.endsWith('.mlir')).sort().map((f) => join(p, f)));
    } else out.push(p);
  }
  return out;
}

export async function loadPrograms(files: readonly string[], report: (line: string) => void): Promise<{ programs: LoadedProgram[]; failed: number }> {
  const slots: (LoadedProgram | 'failed' | { text: string })[] = files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      report(`${file}: error: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return 'failed';
    }
    // Generic-form files (generated programs, mlir-opt output) parse directly, so errors and UB point into the
    // user's own file; only custom syntax goes through mlir-opt first.
    try {
      const module = parseModule(text, file);
      // Backends always get our printing: canonical, alias-free, and without debug locations.
      return accept(file, printOp(module), module);
    } catch (e) {
      if (!(e instanceof IrError)) throw e;
      return { text };
    }
  });
  const custom = slots.map((s, k) => ({ s, k })).filter((x): x is { s: { text: string }; k: number } => typeof x.s === 'object' && !('module' in x.s));
  if (custom.length) {
    // With debug info the generic rendering carries each op's position in the original file.
    const normalised = await runMlirOpt(custom.map((x) => x.s.text), [], { extraArgs: ['--mlir-print-op-generic', '--mlir-print-debuginfo'] });
    normalised.forEach((r, j) => {
      const { k } = custom[j]!;
      const file = files[k]!;
      if (r.kind !== 'ok') {
        const d = 'diagnostics' in r ? r.diagnostics.find((x) => x.severity === 'error') : undefined;
        report(d ? `${file}:${d.line ?? 0}:${d.col ?? 0}: error: ${d.message}` : `${file}: error: mlir-opt ${r.kind} while reading the file`);
        slots[k] = 'failed';
        return;
      }
      try {
        // Backends get plain generic text: the debug locations are for our own reports only.
        const module = parseModule(r.output, file, { sourceLocs: true });
        slots[k] = accept(file, printOp(module), module);
      } catch (e) {
        if (!(e instanceof IrError)) throw e;
        report(e.format(file));
        slots[k] = 'failed';
      }
    });
  }
  const programs = slots.filter((s): s is LoadedProgram => typeof s === 'object' && 'module' in s);
  return { programs, failed: files.length - programs.length };

  function accept(file: string, text: string, module: Operation): LoadedProgram | 'failed' {
    try {
      const errors = verifyModule(module);
      if (errors.length) throw errors[0];
      return { file, text, module, args: entryArgs(module, 'main', file) };
    } catch (e) {
      if (!(e instanceof IrError)) throw e;
      report(e.format(file));
      return 'failed';
    }
  }
}
