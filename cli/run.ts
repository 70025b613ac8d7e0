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
import { describeFailure } from '../oracles/execution-failure.ts';
import { runMlirOpt } from '../targets/mlir/mlir-opt.ts';
import { mlirTarget } from '../targets/mlir/target.ts';
import { backendNames, createExecutor, reference, targetOf } from '../targets/registry.ts';
import type { CliCommand } from './command.ts';
import { Exit } from './io.ts';
import { seed } from './options.ts';
import { loadPrograms } from './program-files.ts';

type Args = { file: string; backend: string; pipeline?: string; inputSeed: number; json: boolean };

type Result = { outcome: string; detail?: string; stdout: Uint8Array; buffers?: readonly Uint8Array[] };

const NOTHING = new Uint8Array(0);

export const runCommand: CliCommand<Args> = {
  command: 'run <file>',
  describe: 'run one program on one backend and print its outcome and output buffers',
  options: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true })
      .option('backend', { alias: 'b', choices: backendNames(), default: reference.name })
      .option('pipeline', { alias: 'p', type: 'string', describe: "optimisation passes, e.g. 'builtin.module(canonicalize,cse)'" })
      .option('input-seed', { default: 0, coerce: seed('input-seed'), describe: 'seed of the input buffer contents' })
      .option('json', { type: 'boolean', default: false }) as unknown as Argv<Args>,
  async run(args, io) {
    const target = targetOf(args.backend) ?? mlirTarget;
    let pipeline: Pipeline = [];
    if (args.pipeline) {
      try {
        pipeline = target.catalog.parse(args.pipeline);
        const why = await target.validatePipeline(pipeline);
        if (why) throw new Error(why);
      } catch (e) {
        io.err(`tcfuzz: --pipeline: ${(e as Error).message}\n`);
        return Exit.Usage;
      }
    }
    const { programs } = await loadPrograms([args.file], (l) => io.err(l + '\n'));
    const p = programs[0];
    if (!p) return Exit.Usage;
    let program: Program = { text: p.text, entry: { name: 'main', args: p.args.map(entryBuffer) }, ir: p.module };
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
          io.err(`tcfuzz: the interpreter cannot run what the pipeline produced: ${e.message}\n`);
          return Exit.Usage;
        }
      }
      r = fromReference(reference.run(program, fillInputs(p.args, args.inputSeed, reference.layout.indexBits), { limits: reference.layout }));
    } else {
      const e = createExecutor(args.backend);
      try {
        const why = e.unavailableReason();
        if (why) {
          io.err(`tcfuzz: backend ${args.backend} is unavailable: ${why}\n`);
          return Exit.Usage;
        }
        const [o] = await execute(e, [{ program, pipeline, inputs: fillInputs(p.args, args.inputSeed, e.limits.indexBits) }]);
        r = fromExecutor(o!);
      } finally {
        await e.close();
      }
    }
    const buffers = r.buffers?.map((bytes, k) => describeBuffer(p.args[k]!, k, bytes));
    // JSON carries the printed bytes as UTF-8 text; plain output writes them unchanged.
    const stdoutText = Buffer.from(r.stdout).toString('utf8');
    if (args.json) io.out(JSON.stringify({ file: args.file, backend: args.backend, outcome: r.outcome, detail: r.detail, buffers, stdout: stdoutText }, null, 1) + '\n');
    else {
      if (io.outBytes) io.outBytes(r.stdout);
      else io.out(stdoutText);
      io.err(`outcome: ${r.outcome}${r.detail ? ` (${r.detail})` : ''}\n`);
      for (const b of buffers ?? []) io.err(`  arg${b.arg}: ${b.dtype} [${b.shape.join('x')}] sha256=${b.sha256}\n`);
    }
    return r.outcome === 'ok' ? Exit.Ok : Exit.Found;
  },
};

function fromReference(o: ReferenceOutcome): Result {
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

function fromExecutor(o: ExecOutcome): Result {
  if (o.kind === 'ok') return { outcome: 'ok', stdout: o.stdout, buffers: o.buffers };
  return { outcome: o.kind, detail: describeFailure(o), stdout: 'stdout' in o && o.stdout !== undefined ? o.stdout : NOTHING };
}

function describeBuffer(t: MemRefType, k: number, bytes: Uint8Array) {
  return { arg: k, dtype: printType(t.elem), shape: [...t.shape], sha256: createHash('sha256').update(bytes).digest('hex') };
}
