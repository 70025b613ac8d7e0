// `tcfuzz repro`: a finding as a standalone folder that reproduces it with MLIR's public tools only (mlir-opt,
// mlir-translate, llc, wasm-ld, mlir-runner, and node to run wasm and compare results): repro.sh exits 1 while the
// bug reproduces, 0 once it does not, 2 when it cannot run. It runs the tools as the finding's backend ran them: the
// pipeline under test plus the backend's lowering suffix in one mlir-opt, then the tools after it up to the one
// that misbehaved; a wrong run gets an entry of its own (repro/harness.ts), runs on the backend's own path (natively,
// or in V8) and is compared with the reference.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoredFinding } from '../../contracts/corpus.ts';
import type { Pipeline } from '../../contracts/pipeline.ts';
import type { MemRefType } from '../../ir/types.ts';
import { numElements, printType } from '../../ir/types.ts';
import { addModuleAttribute } from './lower.ts';
import { NATIVE_SUFFIX, WASM_INDEX_DLTI, WASM_SUFFIX, WASM_VECTOR_LOWERING } from './passes/lowering.ts';
import { printPipeline } from './passes/pipeline.ts';
import type { IndexWidth } from './abi.ts';
import { atIndexWidth, elementLayout, expectedText, PRINTERS, REPRO_ENTRY, reproEntry } from './repro/harness.ts';
import type { Helper } from './repro/shell.ts';
import { prelude, shellQuote, TIMEOUT_PREFIX } from './repro/shell.ts';
import { crashedAsFound, crashVerdict, diagnosticVerdict, hangVerdict, unconvertedVerdict } from './repro/verdicts.ts';
import type { Verdict } from './repro/verdicts.ts';
import { wasmHostFiles } from './repro/wasm-host.ts';
import type { V8Tier } from './wasm/runner-process.ts';
import { TIER_FLAGS } from './wasm/runner-process.ts';

/** The reference's run of a case, for findings about running the program; buffers with a 64-bit index. */
export type ReferenceRun = {
  readonly args: readonly MemRefType[];
  readonly inputs: readonly Uint8Array[];
  readonly buffers: readonly Uint8Array[];
  readonly stdout: Uint8Array;
  /** Per buffer, per element: 1 where the value depends on transcendental math (compared within `tolerance`). */
  readonly taint: readonly (Uint8Array | null)[];
  readonly tolerance: { readonly ulps: number; readonly rel: Readonly<Record<string, number>> };
};

export type ReproRequest = {
  readonly finding: StoredFinding;
  /** The case: its program and entry, the pipeline under test (without the lowering suffix), its input seed. */
  readonly program: string;
  readonly entry: string;
  readonly pipeline: Pipeline;
  readonly inputSeed: number;
  /** Required when `needsReference(finding)`. */
  readonly reference?: ReferenceRun;
};

/** A finding this writer cannot turn into a script, with the reason in one line. */
export class ReproUnsupported extends Error {
  override name = 'ReproUnsupported';
}

/** How a backend runs mlir-opt on a case: what `repro` scripts and `triage export` commands replay. */
export type Backend = {
  readonly suffix: Pipeline;
  readonly moduleAttribute?: string;
  /** A file the suffix reads, copied beside input.mlir and named by its base name. */
  readonly library?: string;
  /** The tools after mlir-opt, by stage name. */
  readonly stages: readonly string[];
};

const WASM_LIBRARY = basename(WASM_VECTOR_LOWERING);

const WASM: Backend = {
  suffix: WASM_SUFFIX.map((s) => (s.options?.['transform-library-paths'] === WASM_VECTOR_LOWERING ? { ...s, options: { ...s.options, 'transform-library-paths': WASM_LIBRARY } } : s)),
  moduleAttribute: WASM_INDEX_DLTI,
  library: WASM_VECTOR_LOWERING,
  stages: ['mlir-translate', 'llc', 'wasm-ld'],
};

const NATIVE: Backend = { suffix: NATIVE_SUFFIX, stages: ['runner'] };

/** As targets/mlir/native/executor.ts and targets/mlir/wasm/executor.ts run them with their default options. */
const BACKENDS: Readonly<Record<string, Backend>> = { native: NATIVE, wasm: WASM, 'wasm-liftoff': WASM, 'wasm-turbofan': WASM };

/** The executor's lowering; undefined for an executor this writer does not know. */
export function backendOf(executor: string): Backend | undefined {
  return BACKENDS[executor];
}

/** Runs of mlir-opt before a crash that does not fire every time counts as gone. */
const CRASH_ATTEMPTS = 5;

const COMPARE_SCRIPT = fileURLToPath(new URL('./repro/compare.mjs', import.meta.url));

/** Whether the request needs `reference`: findings about running the compiled program (or JIT-compiling it). */
export function needsReference(f: StoredFinding): boolean {
  return f.stage === 'run' || f.stage === 'runner' || f.kind === 'miscompile' || f.kind === 'runtime-trap';
}

/** The folder's files and, in words, when its repro.sh says "reproduces". */
export type ReproWritten = { readonly files: readonly string[]; readonly checks: string };

type Files = Map<string, string | Uint8Array>;

type Plan = Verdict & {
  /** LLVM/MLIR tools besides mlir-opt. */
  readonly tools: readonly string[];
  readonly helpers: readonly Helper[];
  readonly runtimeLibs: readonly string[];
  readonly notes: readonly string[];
  /** The commands before the verdict's lines. */
  readonly steps: readonly string[];
};

/** Writes repro.sh and everything it reads into `dir`, an existing folder the caller made sure holds no repro.sh. */
export function writeRepro(dir: string, r: ReproRequest): ReproWritten {
  const f = r.finding;
  const backend = BACKENDS[f.executor];
  if (!backend) throw new ReproUnsupported(`finding #${f.id} is from the ${f.executor} backend, which the MLIR reproducer does not know`);
  const files: Files = new Map();
  const plan = needsReference(f) ? runPlan(r, backend, files) : compilePlan(r, backend, files);
  const tools = ['mlir-opt', ...plan.tools];
  const header = [
    '#!/bin/sh',
    `# tcfuzz reproducer of finding #${f.id}: ${f.kind} on the ${f.executor} backend${f.pass ? `, pass ${f.pass}` : ''}.`,
    `#   ${oneLine(f.detail)}`,
    `#   signature: ${oneLine(f.signature)}`,
    ...plan.notes.map((n) => `# ${n}`),
    `# Reproduces when ${plan.checks}.`,
    '# Exit status: 1 the bug reproduces, 0 it does not (fixed), 2 this script cannot run (a tool missing, an earlier',
    `# step failing). Needs only the public tools: ${[...tools, ...plan.helpers].join(', ')}.`,
    '# Environment: TCFUZZ_LLVM_BIN=DIR takes the LLVM/MLIR tools from DIR (and runtime libraries from DIR/../lib).',
  ];
  files.set('repro.sh', [header.join('\n'), prelude(tools, plan.helpers, plan.runtimeLibs), [...plan.steps, ...plan.lines].join('\n'), ''].join('\n'));
  for (const [name, content] of files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content, { mode: name === 'repro.sh' ? 0o755 : 0o644 });
  }
  const copied: string[] = [];
  if (backend.library) {
    copyFileSync(backend.library, join(dir, WASM_LIBRARY));
    copied.push(WASM_LIBRARY);
  }
  if (plan.helpers.includes('node')) {
    copyFileSync(COMPARE_SCRIPT, join(dir, 'compare.mjs'));
    copied.push('compare.mjs');
  }
  return { files: [...files.keys(), ...copied].sort(), checks: plan.checks };
}

/** A tool failure while compiling: mlir-opt, then on the wasm path the tools after it up to the one that failed. */
function compilePlan(r: ReproRequest, backend: Backend, files: Files): Plan {
  const f = r.finding;
  const hang = f.kind === 'hang';
  const notes = writeInput(r.program, backend, files);
  const opt = mlirOptStep(r.pipeline, backend, f.stage === 'mlir-opt' && hang);
  if (f.stage === 'mlir-opt' && f.kind === 'crash') {
    // Some crashes read freed memory and fire only some of the time, and not always in the same function
    // (int-range-optimizations' fires about 2 runs in 3): a few runs before calling the bug gone.
    const [comment, pipeline, ...run] = opt;
    const retried = [comment!, pipeline!, `for attempt in ${Array.from({ length: CRASH_ATTEMPTS }, (_, k) => k + 1).join(' ')}; do`, ...run.map((l) => `  ${l}`), `  ${crashedAsFound(f, 'mlir-opt')} && break`, 'done'];
    return { ...toolVerdict(f, 'mlir-opt'), tools: [], helpers: [], runtimeLibs: [], notes, steps: retried };
  }
  if (f.stage === 'mlir-opt') {
    const v = f.kind === 'compile-failure' && /left non-LLVM ops/.test(f.detail) ? unconvertedVerdict() : toolVerdict(f, 'mlir-opt');
    return { ...v, tools: [], helpers: hang ? ['timeout'] : [], runtimeLibs: [], notes, steps: opt };
  }
  const at = backend.stages.indexOf(f.stage ?? '');
  if (at < 0) throw new ReproUnsupported(`finding #${f.id} (${f.kind} at stage ${f.stage ?? 'unknown'}) is not one the MLIR reproducer can replay`);
  const stages = backend.stages.slice(0, at + 1);
  const steps = [...opt, ...mustSucceed('mlir-opt'), ...stripFastmath()];
  stages.forEach((s, k) => steps.push(...wasmStage(s, k === at && hang, { source: 'lowered-llvm.mlir', exported: 'main' }), ...(k < at ? mustSucceed(s) : [])));
  notes.push('tcfuzz runs the tools after mlir-opt on a batch of programs merged into one module; these are their one-program equivalents.');
  return { ...toolVerdict(f, f.stage!), tools: stages, helpers: hang ? ['timeout'] : [], runtimeLibs: [], notes, steps };
}

/** input.mlir: the program, with the module attribute the backend adds; what the header says about it. */
function writeInput(program: string, backend: Backend, files: Files): string[] {
  if (!backend.moduleAttribute) {
    files.set('input.mlir', program);
    return [];
  }
  files.set('input.mlir', addModuleAttribute(program, backend.moduleAttribute));
  return [`input.mlir is the case's program with the module attribute the backend adds (${backend.moduleAttribute}).`];
}

function toolVerdict(f: StoredFinding, tool: string): Verdict {
  switch (f.kind) {
    case 'crash':
      return crashVerdict(f, tool);
    case 'hang':
      return hangVerdict(tool);
    case 'invalid-ir':
    case 'pass-failure':
    case 'compile-failure':
      return diagnosticVerdict(f, tool);
    default:
      throw new ReproUnsupported(`finding #${f.id}: a ${f.kind} of ${tool} is not one the MLIR reproducer can replay`);
  }
}

/** mlir-opt with the pipeline under test and the backend's lowering, as the fuzzer ran it (from a file, not stdin). */
function mlirOptStep(pipeline: Pipeline, backend: Backend, hang: boolean): string[] {
  return [
    "# The pipeline under test, then the backend's fixed lowering to the LLVM dialect, in one mlir-opt as tcfuzz ran it.",
    `pipeline=${shellQuote(printPipeline([...pipeline, ...backend.suffix]))}`,
    // Unsymbolized stacks name exported functions, as they did for the fuzzer; no llvm-symbolizer needed.
    `LLVM_DISABLE_SYMBOLIZATION=1 ${hang ? TIMEOUT_PREFIX : ''}"$mlir_opt" --mlir-print-ir-after-failure --mlir-print-local-scope --mlir-disable-threading "--pass-pipeline=$pipeline" input.mlir -o lowered.mlir 2>mlir-opt.stderr`,
    'status=$?',
  ];
}

function mustSucceed(tool: string): string[] {
  return [`[ "$status" -eq 0 ] || broken "${tool} failed (exit $status; see ${tool}.stderr) before the step the finding is about"`];
}

/**
 * convert-arith-to-llvm leaks arith fastmath attributes that mlir-translate and mlir-runner cannot read
 * (fixtures/backends/bugs/arith-to-llvm-fastmath-leak.mlir); tcfuzz strips them after mlir-opt, and so does this.
 */
function stripFastmath(): string[] {
  return ["sed -e 's/ {fastmath = #arith.fastmath<[^>]*>}//g' -e 's/fastmath = #arith.fastmath<[^>]*>, //g' -e 's/, fastmath = #arith.fastmath<[^>]*>//g' lowered.mlir >lowered-llvm.mlir"];
}

/** One tool after mlir-opt on the wasm path, as targets/mlir/wasm/executor.ts runs it: from `source` to lowered.wasm. */
function wasmStage(stage: string, hang: boolean, link: { readonly source: string; readonly exported: string }): string[] {
  const t = hang ? TIMEOUT_PREFIX : '';
  switch (stage) {
    case 'mlir-translate':
      return [`LLVM_DISABLE_SYMBOLIZATION=1 ${t}"$mlir_translate" --mlir-to-llvmir ${link.source} -o lowered.ll 2>mlir-translate.stderr`, 'status=$?'];
    case 'llc':
      return [
        "# llc's wasm32 backend cannot even move a bfloat: storage-only bfloat becomes i16 unless floating-point",
        '# arithmetic on bfloat is left (bf16AsI16 in targets/mlir/wasm/executor.ts), constants as hex bit patterns.',
        "if grep -q '\\bbfloat\\b' lowered.ll && ! grep -Eq '\\b(fpext|fptrunc|fadd|fsub|fmul|fdiv|frem|fcmp|fneg|sitofp|uitofp|fptosi|fptoui)\\b.*\\bbfloat\\b|@llvm\\.[A-Za-z0-9_.]*bf16\\b' lowered.ll; then",
        "  sed -e 's/\\b0xR\\([0-9A-Fa-f]\\{4\\}\\)\\b/u0x\\1/g' -e 's/\\bbfloat\\b/i16/g' lowered.ll >lowered-wasm.ll",
        'else cp lowered.ll lowered-wasm.ll; fi',
        `LLVM_DISABLE_SYMBOLIZATION=1 ${t}"$llc" -mtriple=wasm32-unknown-unknown -O2 -filetype=obj lowered-wasm.ll -o lowered.o 2>llc.stderr`,
        'status=$?',
      ];
    default:
      return [
        `${t}"$wasm_ld" --no-entry --export=${link.exported} --export=__heap_base --export-if-defined=__wasm_call_ctors --import-memory --allow-undefined --stack-first -z stack-size=8388608 lowered.o -o lowered.wasm 2>wasm-ld.stderr`,
        'status=$?',
      ];
  }
}

/** How a wrong-run reproducer runs run.mlir (the lowered module with the entry in it) and what counts as a trap. */
type Runner = {
  readonly tools: readonly string[];
  readonly helpers: readonly Helper[];
  readonly runtimeLibs: readonly string[];
  readonly notes: readonly string[];
  /** From run.mlir to `status`, the program's output in actual.txt. */
  readonly steps: readonly string[];
  /** The tool that ran the program, and the file its stderr went to. */
  readonly name: string;
  readonly log: string;
  /** A shell condition on $status: the program trapped. */
  readonly trapped: string;
  /** That trap in words, for the verdict (the shell expands it) and for the header. */
  readonly trap: string;
  readonly trapChecks: string;
};

/**
 * Running the compiled program (a wrong result, a trap, a hang) or JIT-compiling it: the lowered module gets the
 * reproducer's entry (entry.mlir, appended after lowering as the fuzzer's harness is, so no pass sees it), and the
 * program runs on the finding's own path: natively with mlir-runner, or for a wasm backend through llc and wasm-ld
 * into V8 with tcfuzz's wasm host (repro/wasm-host.ts), with a 32-bit index.
 */
function runPlan(r: ReproRequest, backend: Backend, files: Files): Plan {
  const f = r.finding;
  const ref = r.reference;
  if (!ref) throw new Error(`writeRepro: finding #${f.id} needs the reference's run`);
  const wasm = backend === WASM;
  const index: IndexWidth = wasm ? 32 : 64;
  const inputs = ref.inputs.map((bytes, a) => atIndexWidth(ref.args[a]!, bytes, index));
  const inputNotes = writeInput(r.program, backend, files);
  files.set('entry.mlir', reproEntry(r.entry, ref.args, inputs, index));
  inputs.forEach((bytes, a) => files.set(`input-arg${a}.bin`, bytes));
  const hang = f.kind === 'hang';
  const runner = wasm ? v8Runner(f, hang, files) : nativeRunner(hang);
  const notes = [
    ...inputNotes,
    ...runner.notes,
    `input-arg<N>.bin are the buffers tcfuzz filled from input seed ${r.inputSeed}; entry.mlir passes the same bytes to`,
    `@${r.entry} and then prints every element's bits, one unsigned word per line.`,
  ];
  const steps = [
    ...mlirOptStep(r.pipeline, backend, false),
    ...mustSucceed('mlir-opt'),
    ...stripFastmath(),
    '[ "$(tail -n 1 lowered-llvm.mlir)" = "}" ] || broken "mlir-opt\'s output does not end its module on the last line"',
    '# The lowered module with the entry inside it, declaring the printers it calls unless the program already did.',
    '{',
    "  sed '$d' lowered-llvm.mlir",
    ...PRINTERS.map(([name, decl]) => `  grep -q '^  llvm.func @${name}(' lowered-llvm.mlir || echo ${shellQuote(decl)}`),
    '  cat entry.mlir',
    "  echo '}'",
    '} >run.mlir',
    ...runner.steps,
  ];
  const base = { tools: runner.tools, helpers: runner.helpers, runtimeLibs: runner.runtimeLibs, notes, steps };
  if (f.stage === 'runner') return { ...base, ...toolVerdict(f, runner.name) };
  if (hang) return { ...base, ...hangVerdict('the program') };
  if (f.kind === 'runtime-trap') {
    return {
      ...base,
      checks: runner.trapChecks,
      lines: [
        `${runner.trapped} && reproduces "${runner.trap} (see ${runner.log})"`,
        '[ "$status" -eq 0 ] && gone "the program ran to the end"',
        `broken "${runner.name} exited $status without running the program (see ${runner.log})"`,
      ],
    };
  }
  writeExpected(ref, index, files);
  notes.push('expected.txt is the reference interpreter\'s result in the same format; compare.json says how compare.mjs', 'judges each element (as tcfuzz\'s oracle does: exact, NaN as NaN, tainted floats within a tolerance).');
  return {
    ...base,
    helpers: [...new Set<Helper>([...runner.helpers, 'node'])],
    checks: "the result differs from tcfuzz's reference interpreter's where tcfuzz's oracle judges it",
    lines: [
      // A wrong index can make the compiled program write out of bounds and die where the reference (UB-free) ran:
      // the miscompile shows as a trap here, though tcfuzz's own harness saw a wrong value.
      `${runner.trapped} && reproduces "${runner.trap} where the reference runs to the end (see ${runner.log})"`,
      `[ "$status" -eq 0 ] || broken "${runner.name} exited $status (see ${runner.log}): it used to run the program to the end"`,
      '"$node" compare.mjs expected.txt actual.txt compare.json',
      'case $? in',
      '  1) reproduces "the result differs from the reference (expected.txt, actual.txt)" ;;',
      '  0) gone "the result matches the reference" ;;',
      '  *) broken "compare.mjs could not compare the results" ;;',
      'esac',
    ],
  };
}

function nativeRunner(hang: boolean): Runner {
  return {
    tools: ['mlir-runner'],
    helpers: hang ? ['timeout'] : [],
    runtimeLibs: ['mlir_runner_utils', 'mlir_c_runner_utils'],
    notes: [],
    steps: [`${hang ? TIMEOUT_PREFIX : ''}"$mlir_runner" -e ${REPRO_ENTRY} -entry-point-result=void "-shared-libs=$mlir_runner_utils,$mlir_c_runner_utils" run.mlir >actual.txt 2>mlir-runner.stderr`, 'status=$?'],
    name: 'mlir-runner',
    log: 'mlir-runner.stderr',
    trapped: '[ "$status" -ge 128 ]',
    trap: 'the program was killed by signal $((status - 128))',
    trapChecks: 'the program is killed by a signal (a trap) while it runs',
  };
}

/** Each wasm executor's V8 tier (target.ts names them). */
const V8_TIER: Readonly<Record<string, V8Tier>> = { wasm: 'default', 'wasm-liftoff': 'liftoff', 'wasm-turbofan': 'turbofan' };

/** The wasm path after mlir-opt, as targets/mlir/wasm/executor.ts runs it, and run.mjs in V8. */
function v8Runner(f: StoredFinding, hang: boolean, files: Files): Runner {
  const host = wasmHostFiles();
  if ('reason' in host) throw new ReproUnsupported(`finding #${f.id} runs on the wasm path, and ${host.reason}`);
  for (const [name, content] of host) files.set(name, content);
  const link = { source: 'run.mlir', exported: REPRO_ENTRY };
  const stages = WASM.stages.flatMap((s) => [...wasmStage(s, false, link), ...mustSucceed(s)]);
  const flags = [...TIER_FLAGS[V8_TIER[f.executor] ?? 'default'], '--max-old-space-size=2048'].join(' ');
  return {
    tools: WASM.stages,
    helpers: hang ? ['node', 'timeout'] : ['node'],
    runtimeLibs: [],
    notes: [
      'This script replays the wasm path: mlir-opt, mlir-translate, llc (wasm32), wasm-ld (tcfuzz links a batch of',
      `programs into one module, this one alone), then run.mjs runs the module in V8 (node ${flags})`,
      "with tcfuzz's own wasm host in host/ (malloc/free, libm, compiler-rt builtins, the printers). An index is 4 bytes",
      'in its buffers, as on wasm32.',
    ],
    steps: [
      ...stages,
      "# V8 runs the entry in a fresh instance, with tcfuzz's wasm host (host/, imported by run.mjs).",
      `${hang ? TIMEOUT_PREFIX : ''}"$node" ${flags} run.mjs lowered.wasm ${REPRO_ENTRY} >actual.txt 2>run.stderr`,
      'status=$?',
      "# The trap: run.mjs's message, or the signal that killed node (tcfuzz's wasm backend counts both as traps).",
      "trap_message=$(sed -n 's/^run\\.mjs: trap: //p' run.stderr)",
      '[ "$status" -ge 128 ] && trap_message="node was killed by signal $((status - 128))"',
    ],
    name: 'run.mjs',
    log: 'run.stderr',
    trapped: '{ [ "$status" -eq 3 ] || [ "$status" -ge 128 ]; }',
    trap: 'the program trapped in V8: $trap_message',
    trapChecks: "the program traps in V8 while it runs (a WebAssembly trap, or the host's out of memory, double free or bad free)",
  };
}

/** expected.txt and compare.json: what the run should print, and how each element is judged. */
function writeExpected(ref: ReferenceRun, index: IndexWidth, files: Files): void {
  const buffers = ref.buffers.map((bytes, a) => atIndexWidth(ref.args[a]!, bytes, index));
  files.set('expected.txt', expectedText(ref.args, buffers, ref.stdout, index));
  const spec = ref.args.map((t, a) => {
    const l = elementLayout(t, index);
    const taint = ref.taint[a];
    const tainted = taint ? [...taint.keys()].filter((e) => taint[e] === 1) : [];
    return { name: `arg${a}`, dtype: printType(t.elem), ...(t.elem.kind === 'float' && { float: t.elem.name }), count: numElements(t.shape), words: l.words, tainted };
  });
  files.set('compare.json', JSON.stringify({ buffers: spec, tolerance: ref.tolerance }, null, 1) + '\n');
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
