// `tcfuzz run`: one program on one backend. The program's own printed output goes to stdout unchanged (so
// print-style tests can be FileChecked); the outcome and a sha256 per output buffer go to stderr, or all as --json.
import { createHash } from 'node:crypto';
import type { Argv } from 'yargs';
import { execute } from '../check/execute.ts';
import type { Program } from '../contracts/case.ts';
import type { ExecOutcome } from '../contracts/outcome.ts';
import type { Pipeline } from '../contracts/pipeline.ts';
import type { ReferenceOutcome } from '../contracts/reference.ts';
import { entryBuffer, fillInputs } from '../ir/entry-abi.ts';
import { IrError } from '../ir/diagnostic.ts';
import { parseModule } from '../ir/parser/index.ts';
import type { MemRefType } from '../ir/types.ts';
import { printType } from '../ir/types.ts';
import { elementValues } from '../oracles/compare.ts';
import { describeFailure } from '../oracles/describe-failure.ts';
import { DEFAULT_STEP_BUDGET } from '../reference/index.ts';
import { runMlirOpt } from '../targets/mlir/mlir-opt.ts';
import { mlirTarget } from '../targets/mlir/target.ts';
import { backendNames, createExecutor, reference, targetOf } from '../targets/registry.ts';
import type { CliCommand } from './command.ts';
import { Exit } from './io.ts';
import { duration, positiveInt, seed, text } from './options.ts';
import type { InvalidInput } from './program-files.ts';
import { expandPaths, formatInvalid, loadPrograms } from './program-files.ts';

type Args = { file: string; entry: string; indexBitwidth?: number; backend: string; pipeline?: string; inputSeed: number; json: boolean; dump: boolean; stepBudget: number; timeout: number; compileTimeout: number };

type Result = { outcome: string; detail?: string; stdout: Uint8Array; buffers?: readonly Uint8Array[]; indexBits: 32 | 64 };

const NOTHING = new Uint8Array(0);

export const runCommand: CliCommand<Args> = {
  command: 'run <file>',
  describe: 'run one program on one backend and print its outcome and output buffers',
  options: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true })
      .option('entry', { alias: 'e', default: 'main', coerce: text('entry'), describe: 'the function to run (as mlir-runner -e); one returning an i32, i64 or f32 prints it' })
      .option('index-bitwidth', {
        type: 'number',
        choices: [32, 64],
        describe: "the target's index width: the interpreter judges index values outside int32 only at 32 (default: the backend's, 64 for interp)",
      })
      .option('backend', { alias: 'b', choices: backendNames(), default: reference.name, coerce: text('backend') })
      .option('pipeline', { alias: 'p', coerce: text('pipeline'), describe: "optimisation passes, e.g. 'builtin.module(canonicalize,cse)'" })
      .option('input-seed', { default: 0, coerce: seed('input-seed'), describe: 'seed of the input buffer contents' })
      .option('step-budget', { default: DEFAULT_STEP_BUDGET, coerce: positiveInt('step-budget'), describe: 'interpreter steps before the run counts as a hang' })
      .option('timeout', { default: '10s', coerce: duration('timeout'), describe: 'wall-clock limit for running the program on a backend' })
      .option('compile-timeout', { default: '30s', coerce: duration('compile-timeout'), describe: 'wall-clock limit for each compiler tool' })
      .option('dump', { type: 'boolean', default: false, describe: 'also print every output buffer element by element' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object on stdout (errors included)' }) as unknown as Argv<Args>,
  async run(args, io) {
    const fail = (message: string, invalid: readonly InvalidInput[] = []): number => {
      if (args.json) io.out(JSON.stringify({ file: args.file, backend: args.backend, error: { kind: 'usage', message }, invalid_inputs: invalid }, null, 1) + '\n');
      if (message) io.err(`tcfuzz: ${message}\n`);
      return Exit.Usage;
    };
    const target = targetOf(args.backend) ?? mlirTarget;
    // The interpreter runs at whatever width it is told (64 unless told); a compiled backend has its own.
    const indexBits: 32 | 64 = args.indexBitwidth === 32 ? 32 : 64;
    let pipeline: Pipeline = [];
    if (args.pipeline) {
      try {
        pipeline = target.catalog.parse(args.pipeline);
        const why = await target.validatePipeline(pipeline);
        if (why) throw new Error(why);
      } catch (e) {
        return fail(`--pipeline: ${(e as Error).message}`);
      }
    }
    const { files, skipped } = expandPaths([args.file]);
    if (skipped.length || files.length !== 1) return fail(skipped[0] ? formatInvalid(skipped[0]) : `${args.file} is a directory; run takes one program file`, skipped);
    const { programs, invalid } = await loadPrograms(files, (i) => io.err(formatInvalid(i) + '\n'), { entryName: args.entry, scalarResult: true });
    const p = programs[0];
    if (!p) return fail('', invalid);
    if (p.result && args.backend !== reference.name)
      return fail(`@${args.entry} returns ${p.result}: only the ${reference.name} backend prints an entry's result; compiled backends run entries that write argument buffers or print`);
    let program: Program = { text: p.text, entry: { name: args.entry, args: p.args.map(entryBuffer) }, ir: p.module };
    let r: Result;
    if (args.backend === reference.name) {
      if (pipeline.length) {
        // The interpreter runs what the passes produced: a direct check of the optimisation passes' semantics.
        const [opt] = await runMlirOpt([p.text], pipeline, { extraArgs: ['--mlir-print-op-generic'] });
        if (opt!.kind !== 'ok') {
          io.err(`${args.file}: mlir-opt ${opt!.kind}${'diagnostics' in opt! && opt!.diagnostics[0] ? `: ${opt!.diagnostics[0].message}` : ''}\n`);
          return Exit.Found;
        }
        try {
          program = { ...program, text: opt!.output, ir: parseModule(opt!.output, args.file) };
        } catch (e) {
          if (!(e instanceof IrError)) throw e;
          return fail(`the interpreter cannot run what the pipeline produced: ${e.message}`);
        }
      }
      const inputs = fillInputs(p.args, args.inputSeed, reference.layout.indexBits);
      r = fromReference(reference.run(program, inputs, { limits: { indexBits }, stepBudget: args.stepBudget }), reference.layout.indexBits);
    } else {
      const e = createExecutor(args.backend);
      try {
        if (args.indexBitwidth !== undefined && args.indexBitwidth !== e.limits.indexBits)
          return fail(`--index-bitwidth ${args.indexBitwidth}: backend ${args.backend} has a ${e.limits.indexBits}-bit index`);
        const why = e.unavailableReason();
        if (why) return fail(`backend ${args.backend} is unavailable: ${why}`);
        const inputs = fillInputs(p.args, args.inputSeed, e.limits.indexBits);
        const [o] = await execute(e, [{ program, pipeline, inputs }], { timeoutMs: args.timeout, compileTimeoutMs: args.compileTimeout });
        r = fromExecutor(o!, e.limits.indexBits);
      } finally {
        await e.close();
      }
    }
    const buffers = r.buffers?.map((bytes, k) => describeBuffer(p.args[k]!, k, bytes, args.dump ? r.indexBits : undefined));
    // JSON carries the printed bytes as UTF-8 text; plain output writes them unchanged.
    const stdoutText = Buffer.from(r.stdout).toString('utf8');
    if (args.json) io.out(JSON.stringify({ file: args.file, backend: args.backend, outcome: r.outcome, detail: r.detail, buffers, stdout: stdoutText }, null, 1) + '\n');
    else {
      if (io.outBytes) io.outBytes(r.stdout);
      else io.out(stdoutText);
      io.err(`outcome: ${r.outcome}${r.detail ? ` (${r.detail})` : ''}\n`);
      for (const b of buffers ?? []) io.err(`  arg${b.arg}: ${b.dtype} [${b.shape.join('x')}] sha256=${b.sha256}${b.values ? `\n    ${b.values.join(' ')}` : ''}\n`);
    }
    return r.outcome === 'ok' ? Exit.Ok : Exit.Found;
  },
};

function fromReference(o: ReferenceOutcome, indexBits: 32 | 64): Result {
  return { ...referenceResult(o), indexBits };
}

function referenceResult(o: ReferenceOutcome): Omit<Result, 'indexBits'> {
  const at = (x: { loc?: { file: string; line: number; col: number } }) => (x.loc ? ` at ${x.loc.file}:${x.loc.line}:${x.loc.col}` : '');
  switch (o.kind) {
    case 'ok':
      return { outcome: 'ok', stdout: o.stdout, buffers: o.buffers };
    case 'ub':
      return { outcome: 'ub', detail: `${o.ub} in ${o.op}${at(o)}: ${o.message}`, stdout: o.stdout };
    case 'hang':
      return { outcome: 'hang', detail: `step budget exhausted after ${o.steps} steps`, stdout: NOTHING };
    case 'unsupported':
    case 'unportable':
      return { outcome: o.kind, detail: `${o.op}${at(o)}: ${o.message}`, stdout: NOTHING };
  }
}

function fromExecutor(o: ExecOutcome, indexBits: 32 | 64): Result {
  if (o.kind === 'ok') return { outcome: 'ok', stdout: o.stdout, buffers: o.buffers, indexBits };
  return { outcome: o.kind, detail: describeFailure(o), stdout: 'stdout' in o && o.stdout !== undefined ? o.stdout : NOTHING, indexBits };
}

/** Hash of a buffer, and with `indexBits` (--dump) its elements as the oracles read them. */
function describeBuffer(t: MemRefType, k: number, bytes: Uint8Array, indexBits?: 32 | 64) {
  return {
    arg: k,
    dtype: printType(t.elem),
    shape: [...t.shape],
    sha256: createHash('sha256').update(bytes).digest('hex'),
    ...(indexBits !== undefined && { values: elementValues(t, bytes, indexBits) }),
  };
}
