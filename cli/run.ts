// `tcfuzz run`: one program on one backend. The program's own printed output goes to stdout unchanged (so
// print-style tests can be FileChecked); the outcome and a sha256 per output buffer go to stderr, or all as --json.
import { createHash } from 'node:crypto';
import type { Argv } from 'yargs';
import type { BackendOutcome } from '../targets/mlir/backend.ts';
import { runMlirOpt } from '../targets/mlir/mlir-opt.ts';
import type { Pipeline } from '../targets/mlir/passes/pipeline.ts';
import { parsePipeline } from '../targets/mlir/passes/pipeline.ts';
import { parseModule } from '../ir/parser/index.ts';
import type { InterpOutcome } from '../reference/index.ts';
import { runMain } from '../reference/index.ts';
import type { MemRefType } from '../ir/types.ts';
import { printType } from '../ir/types.ts';
import { inputsFor } from '../oracles/differential.ts';
import type { BackendName } from '../targets/registry.ts';
import { BACKEND_NAMES, compiledBackend } from '../targets/registry.ts';
import type { CliCommand } from './command.ts';
import { Exit } from './io.ts';
import { seed } from './options.ts';
import { loadPrograms } from './program-files.ts';

type Args = { file: string; backend: BackendName; pipeline?: string; inputSeed: number; json: boolean };

type Result = { outcome: string; detail?: string; stdout: string; buffers?: readonly Uint8Array[]; indexBytes: number };

export const runCommand: CliCommand<Args> = {
  command: 'run <file>',
  describe: 'run one program on one backend and print its outcome and output buffers',
  options: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true })
      .option('backend', { alias: 'b', choices: BACKEND_NAMES, default: 'interp' as BackendName })
      .option('pipeline', { alias: 'p', type: 'string', describe: "optimisation passes, e.g. 'builtin.module(canonicalize,cse)'" })
      .option('input-seed', { default: 0, coerce: seed('input-seed'), describe: 'seed of the input buffer contents' })
      .option('json', { type: 'boolean', default: false }) as unknown as Argv<Args>,
  async run(args, io) {
    let pipeline: Pipeline = [];
    if (args.pipeline) {
      try {
        pipeline = parsePipeline(args.pipeline);
      } catch (e) {
        io.err(`tcfuzz: --pipeline: ${(e as Error).message}\n`);
        return Exit.Usage;
      }
    }
    const { programs } = await loadPrograms([args.file], (l) => io.err(l + '\n'));
    const p = programs[0];
    if (!p) return Exit.Usage;
    let r: Result;
    if (args.backend === 'interp') {
      let module = p.module;
      if (pipeline.length) {
        // The interpreter runs what the passes produced: a direct check of the optimisation passes' semantics.
        const [opt] = await runMlirOpt([p.text], pipeline, { extraArgs: ['--mlir-print-op-generic'] });
        if (opt!.kind !== 'ok') {
          io.err(`${args.file}: mlir-opt ${opt!.kind}: ${JSON.stringify(opt).slice(0, 400)}\n`);
          return Exit.Found;
        }
        module = parseModule(opt!.output, args.file);
      }
      r = fromInterp(runMain(module, inputsFor(p.args, args.inputSeed, 8)));
    } else {
      const b = compiledBackend(args.backend);
      try {
        const why = b.unavailableReason();
        if (why) {
          io.err(`tcfuzz: backend ${args.backend} is unavailable: ${why}\n`);
          return Exit.Usage;
        }
        r = fromBackend(await b.run({ text: p.text, args: p.args }, inputsFor(p.args, args.inputSeed, b.indexBytes), { pipeline }), b.indexBytes);
      } finally {
        await b.close();
      }
    }
    const buffers = r.buffers?.map((bytes, k) => describeBuffer(p.args[k]!, k, bytes));
    if (args.json) io.out(JSON.stringify({ file: args.file, backend: args.backend, outcome: r.outcome, detail: r.detail, buffers, stdout: r.stdout }, null, 1) + '\n');
    else {
      io.out(r.stdout);
      io.err(`outcome: ${r.outcome}${r.detail ? ` (${r.detail})` : ''}\n`);
      for (const b of buffers ?? []) io.err(`  arg${b.arg}: ${b.dtype} [${b.shape.join('x')}] sha256=${b.sha256}\n`);
    }
    return r.outcome === 'ok' ? Exit.Ok : Exit.Found;
  },
};

function fromInterp(o: InterpOutcome): Result {
  switch (o.kind) {
    case 'ok':
      return { outcome: 'ok', stdout: o.stdout, buffers: o.buffers, indexBytes: 8 };
    case 'ub':
      return { outcome: 'ub', detail: `${o.ub} in ${o.op}${o.loc ? ` at ${o.loc.file}:${o.loc.line}:${o.loc.col}` : ''}: ${o.message}`, stdout: o.stdout, indexBytes: 8 };
    case 'hang':
      return { outcome: 'hang', detail: `step budget exhausted after ${o.steps} steps`, stdout: o.stdout, indexBytes: 8 };
    case 'unsupported':
      return { outcome: 'unsupported', detail: `${o.op}: ${o.message}`, stdout: '', indexBytes: 8 };
  }
}

function fromBackend(o: BackendOutcome, indexBytes: number): Result {
  if (o.kind === 'ok') return { outcome: 'ok', stdout: o.stdout, buffers: o.buffers, indexBytes };
  const stdout = 'stdout' in o && typeof o.stdout === 'string' ? o.stdout : '';
  return { outcome: o.kind, detail: JSON.stringify(o).slice(0, 600), stdout, indexBytes };
}

function describeBuffer(t: MemRefType, k: number, bytes: Uint8Array) {
  return { arg: k, dtype: printType(t.elem), shape: [...t.shape], sha256: createHash('sha256').update(bytes).digest('hex') };
}
