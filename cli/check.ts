// `tcfuzz check`: runs programs on the reference and the chosen executors and reports every finding (DESIGN §5).
import type { Argv } from 'yargs';
import type { TestCase } from '../contracts/case.ts';
import type { Pipeline } from '../contracts/pipeline.ts';
import type { CaseResult } from '../contracts/reporter.ts';
import type { Executor } from '../contracts/target.ts';
import { checkCases } from '../check/check-cases.ts';
import type { CheckReport } from '../check/summary.ts';
import { CheckSummary } from '../check/summary.ts';
import { entryBuffer } from '../ir/entry-abi.ts';
import { executionFailure } from '../oracles/execution-failure.ts';
import { miscompile } from '../oracles/miscompile.ts';
import { backendNames, createExecutor, parseBackendList, reference, targetOf } from '../targets/registry.ts';
import type { CliCommand } from './command.ts';
import type { Io } from './io.ts';
import { Exit } from './io.ts';
import { nonNegativeInt, seed } from './options.ts';
import type { LoadedProgram } from './program-files.ts';
import { expandPaths, loadPrograms } from './program-files.ts';

type Args = { paths: string[]; backends: string; pipeline?: string; inputSeed: number; json: boolean; stepBudget?: number };

export const checkCommand: CliCommand<Args> = {
  command: 'check <paths..>',
  describe: 'differential check: the reference interpreter (and UB filter) against the compiled backends',
  options: (y: Argv) =>
    y
      .positional('paths', { type: 'string', array: true, demandOption: true, describe: '.mlir files or directories of them' })
      .option('backends', { default: 'interp,native,wasm', type: 'string', describe: `comma-separated, of: ${backendNames().join(', ')}` })
      .option('pipeline', { alias: 'p', type: 'string', describe: 'optimisation passes before each backend lowering' })
      .option('input-seed', { default: 0, coerce: seed('input-seed') })
      .option('step-budget', { coerce: nonNegativeInt('step-budget'), describe: 'interpreter steps before a run counts as a hang' })
      .option('json', { type: 'boolean', default: false }) as unknown as Argv<Args>,
  async run(args, io) {
    let names: string[];
    let pipeline: Pipeline = [];
    try {
      names = parseBackendList(args.backends);
      const compiled = names.filter((n) => n !== reference.name);
      const targets = [...new Set(compiled.map((n) => targetOf(n)!))];
      if (args.pipeline) {
        // One pipeline text means one pass catalog: the backends must all compile with the same compiler's passes.
        if (new Set(targets.map((t) => t.catalog)).size !== 1) throw new Error('--pipeline needs backends that share one pass catalog');
        pipeline = targets[0]!.catalog.parse(args.pipeline);
        for (const t of targets) {
          const why = await t.validatePipeline(pipeline);
          if (why) throw new Error(`--pipeline: ${why}`);
        }
      }
    } catch (e) {
      io.err(`tcfuzz: ${(e as Error).message}\n`);
      return Exit.Usage;
    }
    const executors: Executor[] = names.filter((n) => n !== reference.name).map(createExecutor);
    try {
      for (const e of executors) {
        const why = e.unavailableReason();
        if (why) {
          io.err(`tcfuzz: backend ${e.name} is unavailable: ${why}\n`);
          return Exit.Usage;
        }
      }
      const { programs, failed } = await loadPrograms(expandPaths(args.paths), (l) => io.err(l + '\n'));
      const summary = new CheckSummary();
      const cases = programs.map((p) => testCase(p, pipeline, args.inputSeed));
      const oracles = [miscompile, executionFailure];
      for await (const r of checkCases(cases, { reference, executors, oracles, ...(args.stepBudget !== undefined && { stepBudget: args.stepBudget }) })) {
        summary.onCaseChecked(r);
        if (!args.json) printFindings(r, io);
      }
      summary.onEnd();
      const report = summary.report;
      if (args.json) io.out(JSON.stringify({ ...report, invalid_inputs: failed }, null, 1) + '\n');
      else printTotals(report, failed, io);
      // A finding outranks invalid input: a script waiting for findings must not miss one in a mixed batch.
      if (report.disagreements.length || report.backend_failures.length) return Exit.Found;
      return failed ? Exit.Usage : Exit.Ok;
    } finally {
      await Promise.all(executors.map((e) => e.close()));
    }
  },
};

export function testCase(p: LoadedProgram, pipeline: Pipeline, inputSeed: number): TestCase {
  return { name: p.file, program: { text: p.text, entry: { name: 'main', args: p.args.map(entryBuffer) }, ir: p.module }, pipeline, inputSeed };
}

function printFindings(r: CaseResult, io: Io): void {
  for (const f of r.findings) {
    if (f.kind === 'miscompile') io.out(`DISAGREE ${r.case.name} interp vs ${f.executor} ${f.detail}\n`);
    else io.out(`FAIL ${r.case.name} ${f.executor} ${f.kind}: ${f.detail}\n`);
  }
}

function printTotals(r: CheckReport, invalid: number, io: Io): void {
  const judged = r.cases - r.ub_discarded - r.hang_discarded - r.unsupported - r.unportable;
  io.out(
    `cases ${r.cases}  judged ${judged}  agree ${r.agree} (${(100 * r.agreement).toFixed(1)}%)  ub-discarded ${r.ub_discarded}  ` +
      `hang-discarded ${r.hang_discarded}  unsupported ${r.unsupported}  unportable ${r.unportable}  invalid ${invalid}\n`,
  );
  io.out(`interpreter executed ${r.interp_ops_executed} distinct ops; ${r.seconds.toFixed(1)} s\n`);
}
