// A finding's reproduction with MLIR's public tools, for `tcfuzz triage export`: the exact mlir-opt run of its
// backend (the pipeline under test, then the backend's lowering suffix from targets/mlir/passes/lowering.ts), and
// the tools after mlir-opt up to the one that misbehaved.
import { basename } from 'node:path';
import type { Pipeline } from '../contracts/pipeline.ts';
import { addModuleAttribute } from '../targets/mlir/lower.ts';
import { parsePipeline, printPipeline } from '../targets/mlir/passes/pipeline.ts';
import { backendOf } from '../targets/mlir/repro.ts';
import { shellQuote } from '../targets/mlir/repro/shell.ts';
import type { Repro } from '../triage/bug-report.ts';
import type { FindingView } from '../triage/finding-view.ts';
import { reproducer } from '../triage/finding-view.ts';

/** The tools after mlir-opt on the wasm backends, by stage name, each reading the one before's output. */
const WASM_AFTER: readonly (readonly [stage: string, command: string])[] = [
  ['mlir-translate', 'mlir-translate --mlir-to-llvmir lowered.mlir -o lowered.ll'],
  ['llc', 'llc -mtriple=wasm32-unknown-unknown -O2 -filetype=obj lowered.ll -o lowered.o'],
  ['wasm-ld', 'wasm-ld --no-entry --export-all --import-memory --allow-undefined --stack-first lowered.o -o lowered.wasm'],
];

/** Executor → what the report says of its lowering beyond the mlir-opt command. */
function lowering(executor: string): { suffix: Pipeline; moduleAttribute?: string; after: typeof WASM_AFTER; notes: string[] } | undefined {
  const b = backendOf(executor);
  if (!b) return undefined;
  const notes = b.library
    ? [`The lowering preloads a transform script: save tcfuzz's \`targets/mlir/passes/${basename(b.library)}\` as \`${basename(b.library)}\` beside input.mlir.`]
    : [];
  if (b.moduleAttribute) notes.push(`The backend gives the module a 32-bit index (\`${b.moduleAttribute}\`); the input above has it.`);
  return { suffix: b.suffix, ...(b.moduleAttribute && { moduleAttribute: b.moduleAttribute }), after: b.stages.includes('llc') ? WASM_AFTER : [], notes };
}

export function mlirRepro(v: FindingView): Repro {
  const f = v.finding;
  const c = reproducer(v);
  const low = lowering(f.executor);
  const notes = low
    ? [`mlir-opt runs the passes under test, then the ${f.executor} backend's lowering to the LLVM dialect, as tcfuzz ran them.`, ...low.notes]
    : [`This report does not know the ${f.executor} backend's lowering: the command runs the passes under test only.`];
  const input = low?.moduleAttribute ? addModuleAttribute(c.program.text, low.moduleAttribute) : c.program.text;
  const opt = `mlir-opt --pass-pipeline=${shellQuote(printPipeline([...parsePipeline(c.pipeline.text), ...(low?.suffix ?? [])]))} input.mlir`;
  const later = low?.after.findIndex(([stage]) => stage === f.stage) ?? -1;
  if (later >= 0) {
    notes.push('tcfuzz runs the tools after mlir-opt on a batch of programs; these are their one-program equivalents.');
    return { input, commands: [`${opt} -o lowered.mlir`, ...low!.after.slice(0, later + 1).map(([, command]) => command)], notes };
  }
  if (f.kind === 'miscompile' || f.kind === 'runtime-trap' || f.stage === 'run' || f.stage === 'runner') {
    notes.push(`mlir-opt lowers the program without error; the bug shows when tcfuzz's harness runs the lowered entry function on the ${f.executor} backend with buffers filled from input seed ${c.inputSeed}.`);
    return { input, commands: [`${opt} -o lowered.mlir`], notes };
  }
  return { input, commands: [opt], notes };
}
