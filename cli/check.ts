// `tcfuzz check`: runs programs on the interpreter and the chosen backends and compares every output (DESIGN §5).
import type { Argv } from 'yargs';
import type { Backend } from '../targets/mlir/backend.ts';
import type { Pipeline } from '../targets/mlir/passes/pipeline.ts';
import { parsePipeline } from '../targets/mlir/passes/pipeline.ts';
import type { CheckReport } from '../oracles/differential.ts';
import { checkPrograms } from '../oracles/differential.ts';
import { compiledBackend, parseBackendList } from '../targets/registry.ts';
import type { CliCommand } from './command.ts';
import type { Io } from './io.ts';
import { Exit } from './io.ts';
import { nonNegativeInt, seed } from './options.ts';
import { expandPaths, loadPrograms } from './program-files.ts';

type Args = { paths: string[]; backends: string; pipeline?: string; inputSeed: number; json: boolean; stepBudget?: number };

export const checkCommand: CliCommand<Args> = {
  command: 'check <paths..>',
  describe: 'differential check: interpreter (reference + UB filter) against the compiled backends',
  options: (y: Argv) =>
    y
      .positional('paths', { type: 'string', array: true, demandOption: true, describe: '.mlir files or directories of them' })
      .option('backends', { default: 'interp,native,wasm', type: 'string', describe: 'comma-separated: interp,native,wasm,wasm-liftoff,wasm-turbofan' })
      .option('pipeline', { alias: 'p', type: 'string', describe: 'optimisation passes before each backend lowering' })
      .option('input-seed', { default: 0, coerce: seed('input-seed') })
      .option('step-budget', { coerce: nonNegativeInt('step-budget'), describe: 'interpreter steps before a run counts as a hang' })
      .option('json', { type: 'boolean', default: false }) as unknown as Argv<Args>,
  async run(args, io) {
    let pipeline: Pipeline = [];
    let names;
    try {
      names = parseBackendList(args.backends);
      if (args.pipeline) pipeline = parsePipeline(args.pipeline);
    } catch (e) {
      io.err(`tcfuzz: ${(e as Error).message}\n`);
      return Exit.Usage;
    }
    const backends: Backend[] = names.filter((n) => n !== 'interp').map((n) => compiledBackend(n as Exclude<typeof n, 'interp'>));
    try {
      for (const b of backends) {
        const why = b.unavailableReason();
        if (why) {
          io.err(`tcfuzz: backend ${b.name} is unavailable: ${why}\n`);
          return Exit.Usage;
        }
      }
      const files = expandPaths(args.paths);
      const { programs, failed } = await loadPrograms(files, (l) => io.err(l + '\n'));
      const report = await checkPrograms(programs, backends, { inputSeed: args.inputSeed, run: { pipeline }, ...(args.stepBudget !== undefined && { stepBudget: args.stepBudget }) });
      if (args.json) io.out(JSON.stringify({ ...report, invalid_inputs: failed }, null, 1) + '\n');
      else printText(report, failed, io);
      if (failed) return Exit.Usage;
      return report.disagreements.length || report.backend_failures.length ? Exit.Found : Exit.Ok;
    } finally {
      await Promise.all(backends.map((b) => b.close()));
    }
  },
};

function printText(r: CheckReport, invalid: number, io: Io): void {
  const judged = r.cases - r.ub_discarded - r.hang_discarded - r.unsupported;
  io.out(`cases ${r.cases}  judged ${judged}  agree ${r.agree} (${(100 * r.agreement).toFixed(1)}%)  ub-discarded ${r.ub_discarded}  hang-discarded ${r.hang_discarded}  unsupported ${r.unsupported}  invalid ${invalid}\n`);
  io.out(`interpreter executed ${r.interp_ops_executed} distinct ops; ${r.seconds.toFixed(1)} s\n`);
  for (const d of r.disagreements) {
    const where = d.kind === 'buffer' ? `arg${d.buffer}[${d.index}] ${d.dtype}${d.tainted ? ' (tainted)' : ''}` : d.kind === 'stdout' ? `stdout at byte ${d.offset}` : d.message;
    const vals = d.kind === 'shape' ? '' : `: ${d.values[0]} vs ${d.values[1]}`;
    io.out(`DISAGREE ${d.file} ${d.backends.join(' vs ')} ${where}${vals}\n`);
  }
  for (const f of r.backend_failures) io.out(`FAIL ${f.file} ${f.backend} ${f.kind}: ${f.detail}\n`);
}
