// A finding's reproduction with MLIR's public tools, for `tcfuzz triage export`: the exact mlir-opt run of its
// backend (the pipeline under test, then the backend's lowering suffix from targets/mlir/passes/lowering.ts), and
// the tools after mlir-opt up to the one that misbehaved.
import { basename } from 'node:path';
import type { Pipeline } from '../contracts/pipeline.ts';
import { addModuleAttribute } from '../targets/mlir/lower.ts';
import { NATIVE_SUFFIX, WASM_INDEX_DLTI, WASM_SUFFIX, WASM_VECTOR_LOWERING } from '../targets/mlir/passes/lowering.ts';
import { parsePipeline, printPipeline } from '../targets/mlir/passes/pipeline.ts';
import type { Repro } from '../triage/bug-report.ts';
import type { FindingView } from '../triage/finding-view.ts';
import { reproducer } from '../triage/finding-view.ts';

type Lowering = {
  readonly suffix: Pipeline;
  /** An attribute the backend gives the module before mlir-opt reads it. */
  readonly moduleAttribute?: string;
  /** The tools after mlir-opt, by stage name, each reading the one before's output. */
  readonly after: readonly (readonly [stage: string, command: string])[];
  readonly notes: readonly string[];
};

const WASM_LIBRARY = basename(WASM_VECTOR_LOWERING);

const WASM: Lowering = {
  // The transform script's path is this checkout's; the report names the file it attaches instead.
  suffix: WASM_SUFFIX.map((s) => (s.options?.['transform-library-paths'] === WASM_VECTOR_LOWERING ? { ...s, options: { ...s.options, 'transform-library-paths': WASM_LIBRARY } } : s)),
  moduleAttribute: WASM_INDEX_DLTI,
  after: [
    ['mlir-translate', 'mlir-translate --mlir-to-llvmir lowered.mlir -o lowered.ll'],
    ['llc', 'llc -mtriple=wasm32-unknown-unknown -O2 -filetype=obj lowered.ll -o lowered.o'],
    ['wasm-ld', 'wasm-ld --no-entry --export-all --import-memory --allow-undefined --stack-first lowered.o -o lowered.wasm'],
  ],
  notes: [
    `The wasm lowering preloads a transform script: save tcfuzz's \`targets/mlir/passes/${WASM_LIBRARY}\` as \`${WASM_LIBRARY}\` beside input.mlir.`,
    `The wasm backend gives the module a 32-bit index (\`${WASM_INDEX_DLTI}\`); the input above has it.`,
  ],
};

/** Executor → its lowering, as targets/mlir/native/executor.ts and targets/mlir/wasm/executor.ts run it. */
const LOWERINGS: Readonly<Record<string, Lowering>> = {
  native: { suffix: NATIVE_SUFFIX, after: [], notes: [] },
  wasm: WASM,
  'wasm-liftoff': WASM,
  'wasm-turbofan': WASM,
};

export function mlirRepro(v: FindingView): Repro {
  const f = v.finding;
  const c = reproducer(v);
  const lowering = LOWERINGS[f.executor];
  const notes = lowering
    ? [`mlir-opt runs the passes under test, then the ${f.executor} backend's lowering to the LLVM dialect, as tcfuzz ran them.`, ...lowering.notes]
    : [`This report does not know the ${f.executor} backend's lowering: the command runs the passes under test only.`];
  const input = lowering?.moduleAttribute ? addModuleAttribute(c.program.text, lowering.moduleAttribute) : c.program.text;
  const opt = `mlir-opt --pass-pipeline=${shellQuote(printPipeline([...parsePipeline(c.pipeline.text), ...(lowering?.suffix ?? [])]))} input.mlir`;
  const later = lowering?.after.findIndex(([stage]) => stage === f.stage) ?? -1;
  if (later >= 0) {
    notes.push('tcfuzz runs the tools after mlir-opt on a batch of programs; these are their one-program equivalents.');
    return { input, commands: [`${opt} -o lowered.mlir`, ...lowering!.after.slice(0, later + 1).map(([, command]) => command)], notes };
  }
  if (f.kind === 'miscompile' || f.kind === 'runtime-trap' || f.stage === 'run' || f.stage === 'runner') {
    notes.push(`mlir-opt lowers the program without error; the bug shows when tcfuzz's harness runs the lowered entry function on the ${f.executor} backend with buffers filled from input seed ${c.inputSeed}.`);
    return { input, commands: [`${opt} -o lowered.mlir`], notes };
  }
  return { input, commands: [opt], notes };
}

/** One shell word, whatever it holds. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
