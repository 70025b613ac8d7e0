// `tcfuzz repro ID --out DIR`: a finding as a standalone reproducer (targets/mlir/repro.ts) that needs only the
// public LLVM/MLIR tools and node, then one run of its repro.sh to show that it reproduces.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import type { StoredFinding } from '../contracts/corpus.ts';
import { CorpusError, openCorpus } from '../corpus/index.ts';
import { bufferMemRef, entryArgs, entryBuffer, fillInputs } from '../ir/entry-abi.ts';
import { IrError } from '../ir/diagnostic.ts';
import { parseModule } from '../ir/parser/index.ts';
import { DEFAULT_TOLERANCE } from '../oracles/compare.ts';
import { PipelineError } from '../contracts/pipeline.ts';
import { reference, targetOf } from '../targets/registry.ts';
import { parsePipeline } from '../targets/mlir/passes/pipeline.ts';
import type { ReferenceRun, ReproRequest, ReproWritten } from '../targets/mlir/repro.ts';
import { needsReference, ReproUnsupported, writeRepro } from '../targets/mlir/repro.ts';
import { mlirTarget } from '../targets/mlir/target.ts';
import { findingView, reproducer } from '../triage/finding-view.ts';
import type { CliCommand } from './command.ts';
import type { Io } from './io.ts';
import { Exit } from './io.ts';
import { text } from './options.ts';

type Args = { id: number; out: string; db: string };

/** A one-line reason to stop with exit 2. */
class ReproRefused extends Error {}

/** How long the check run of repro.sh may take: compiling and running one program, or a hang's time limit. */
const CHECK_TIMEOUT_MS = 5 * 60_000;

export const reproCommand: CliCommand<Args> = {
  command: 'repro <id>',
  describe:
    'write a standalone reproducer of finding ID into --out DIR (repro.sh, input.mlir, its inputs, the expected and actual ' +
    'results) that needs only the public LLVM/MLIR tools and node; repro.sh exits 1 while the bug reproduces, 0 once it does ' +
    'not, 2 when it cannot run. tcfuzz runs it once: exit 0 when it reproduces, 2 when it does not (the folder stays, to ' +
    'look at) or on bad input',
  options: (y: Argv) =>
    y
      .positional('id', { coerce: findingId, describe: "a finding id, as 'tcfuzz triage list' prints it" })
      .option('out', { demandOption: true, coerce: text('out'), describe: 'the folder to write; made if missing, refused if it holds a repro.sh' })
      .option('db', { default: 'tcfuzz.db', coerce: text('db'), describe: 'the SQLite corpus' }) as unknown as Argv<Args>,
  async run(args, io) {
    let written: ReproWritten;
    try {
      const request = reproRequest(args);
      prepareFolder(args.out);
      written = writeRepro(args.out, request);
    } catch (e) {
      if (!(e instanceof ReproRefused || e instanceof ReproUnsupported || e instanceof CorpusError || e instanceof IrError || e instanceof PipelineError)) throw e;
      io.err(`tcfuzz: ${(e as Error).message}\n`);
      return Exit.Usage;
    }
    io.out(`wrote ${args.out}: ${written.files.join(', ')}\nrepro.sh reproduces when ${written.checks}.\n`);
    return checkRun(args, io);
  },
};

/** The finding, its case (the reduced one when triage made it) and, for a wrong run, the reference's result. */
function reproRequest(args: Args): ReproRequest {
  const corpus = openCorpus(args.db, { readonly: true });
  try {
    const view = findingView(corpus, args.id);
    if (!view) throw new ReproRefused(`no finding ${args.id} in ${args.db}`);
    const f = view.finding;
    if (targetOf(f.executor) !== mlirTarget) throw new ReproRefused(`finding #${f.id} is from the ${f.executor} backend; tcfuzz repro writes MLIR reproducers only`);
    const c = reproducer(view);
    const base = { finding: f, program: c.program.text, entry: 'main', pipeline: parsePipeline(c.pipeline.text), inputSeed: c.inputSeed };
    return needsReference(f) ? { ...base, reference: referenceRun(f, c.program.text, c.inputSeed) } : base;
  } finally {
    corpus.close();
  }
}

/** The reference's run of the program on the case's inputs, judged for the native replay (targets/mlir/repro.ts). */
function referenceRun(f: StoredFinding, text: string, inputSeed: number): ReferenceRun {
  if (reference.layout.indexBits !== 64) throw new Error('the reproducer expects the reference to lay buffers out with a 64-bit index');
  const module = parseModule(text);
  const args = entryArgs(module);
  const inputs = fillInputs(args, inputSeed, 64);
  const program = { text, entry: { name: 'main', args: args.map(entryBuffer) }, ir: module };
  // A case judged under a 32-bit index (with wasm in the campaign) runs the same under a 64-bit one.
  const r = reference.run(program, inputs, { limits: { indexBits: 64 } });
  if (r.kind !== 'ok') throw new ReproRefused(`finding #${f.id}: the reference does not run its case to the end (${r.kind}${'message' in r ? `: ${r.message}` : ''}), so there is no expected result`);
  return { args: program.entry.args.map(bufferMemRef), inputs, buffers: r.buffers, stdout: r.stdout, taint: r.taint, tolerance: DEFAULT_TOLERANCE };
}

function prepareFolder(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new ReproRefused(`--out ${dir} is not a folder`);
  if (existsSync(join(dir, 'repro.sh'))) throw new ReproRefused(`--out ${dir} already holds a repro.sh; give another folder or remove it`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new ReproRefused(`cannot make --out ${dir}: ${(e as Error).message}`);
  }
}

/** Runs the written repro.sh once: it must say "reproduces" (exit 1) for the command to succeed. */
function checkRun(args: Args, io: Io): number {
  const r = spawnSync('/bin/sh', [join(args.out, 'repro.sh')], { encoding: 'utf8', timeout: CHECK_TIMEOUT_MS });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  io.out(output.split('\n').map((l) => `  ${l}\n`).join(''));
  if (r.status === 1) {
    io.out(`finding #${args.id} reproduces with ${join(args.out, 'repro.sh')}\n`);
    return Exit.Ok;
  }
  const said = output.split('\n').filter((l) => l.startsWith('repro.sh: ')).pop()?.replace(/^repro\.sh: /, '') ?? '';
  const why = r.error ? r.error.message : r.status === 0 ? `it does not reproduce here (${said})` : `it cannot run (exit ${r.status ?? r.signal}: ${said})`;
  io.err(`tcfuzz: warning: ${join(args.out, 'repro.sh')} was written, but ${why}\n`);
  return Exit.Usage;
}

function findingId(raw: unknown): number {
  const n = Number(raw);
  if (Array.isArray(raw) || !Number.isSafeInteger(n) || n < 1) throw new Error(`a finding ID is a positive integer, got '${String(raw)}'`);
  return n;
}
