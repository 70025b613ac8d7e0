// `tcfuzz check`: runs programs on the reference and the chosen executors and reports every finding (DESIGN §5).
import type { Argv } from 'yargs';
import type { TestCase } from '../contracts/case.ts';
import type { Pipeline } from '../contracts/pipeline.ts';
import type { CaseResult } from '../contracts/reporter.ts';
import type { ExecOptions, Executor } from '../contracts/target.ts';
import { checkCases } from '../check/check-cases.ts';
import { onShutdown, shutdownSignal } from '../exec/children.ts';
import type { CheckReport } from '../check/summary.ts';
import { CheckSummary } from '../check/summary.ts';
import { entryBuffer } from '../ir/entry-abi.ts';
import { DEFAULT_ORACLES, defaultOracles } from '../oracles/index.ts';
import { DEFAULT_STEP_BUDGET } from '../reference/index.ts';
import { backendNames, createExecutor, parseBackendList, reference, targetOf } from '../targets/registry.ts';
import type { CliCommand } from './command.ts';
import type { Io } from './io.ts';
import { Exit } from './io.ts';
import { duration, positiveInt, seed, text } from './options.ts';
import type { InvalidInput, LoadedProgram } from './program-files.ts';
import { expandPaths, formatInvalid, loadPrograms } from './program-files.ts';
import { StatusLine } from './progress.ts';
import { tcfuzzVersion, toolchainVersion } from './version.ts';

type Args = {
  paths: string[];
  entry: string;
  backends: string;
  pipeline?: string;
  inputSeed: number;
  json: boolean;
  stepBudget: number;
  timeout: number;
  compileTimeout: number;
};

export const checkCommand: CliCommand<Args> = {
  command: 'check <paths..>',
  describe: 'differential check: the reference interpreter (and UB filter) against the compiled backends',
  options: (y: Argv) =>
    y
      .positional('paths', { type: 'string', array: true, demandOption: true, describe: ".mlir files, directories searched recursively for them, or '-' for one program on stdin" })
      .option('entry', { alias: 'e', default: 'main', coerce: text('entry'), describe: 'the function each program runs; it returns nothing and takes statically shaped memrefs' })
      .option('backends', { default: 'interp,native,wasm', coerce: text('backends'), describe: `comma-separated, of: ${backendNames().join(', ')}` })
      .option('pipeline', { alias: 'p', coerce: text('pipeline'), describe: "passes before each backend's lowering, e.g. 'builtin.module(func.func(cse))'" })
      .option('input-seed', { default: 0, coerce: seed('input-seed'), describe: 'seed of the input buffer contents' })
      .option('step-budget', { default: DEFAULT_STEP_BUDGET, coerce: positiveInt('step-budget'), describe: 'interpreter steps before a run counts as a hang' })
      .option('timeout', { default: '10s', coerce: duration('timeout'), describe: 'wall-clock limit for running one program on a backend' })
      .option('compile-timeout', { default: '30s', coerce: duration('compile-timeout'), describe: 'wall-clock limit for one compiler tool on one program' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object on stdout (errors included)' }) as unknown as Argv<Args>,
  async run(args, io) {
    const parameters = {
      paths: args.paths,
      entry: args.entry,
      backends: args.backends,
      pipeline: args.pipeline ?? '',
      input_seed: args.inputSeed,
      step_budget: args.stepBudget,
      timeout_ms: args.timeout,
      compile_timeout_ms: args.compileTimeout,
      tcfuzz: tcfuzzVersion(),
      toolchain: toolchainVersion(),
    };
    const fail = (message: string, invalid: readonly InvalidInput[] = []): number => {
      if (args.json) io.out(JSON.stringify({ error: { kind: 'usage', message }, parameters, invalid_inputs: invalid }, null, 1) + '\n');
      io.err(`tcfuzz: ${message}\n`);
      return Exit.Usage;
    };
    let names: string[];
    let pipeline: Pipeline = [];
    try {
      names = parseBackendList(args.backends);
      const targets = [...new Set(names.filter((n) => n !== reference.name).map((n) => targetOf(n)!))];
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
      return fail((e as Error).message);
    }
    const executors: Executor[] = names.filter((n) => n !== reference.name).map(createExecutor);
    try {
      for (const e of executors) {
        const why = e.unavailableReason();
        if (why) return fail(`backend ${e.name} is unavailable: ${why}`);
      }
      const { files, skipped } = expandPaths(args.paths);
      for (const s of skipped) io.err(formatInvalid(s) + '\n');
      if (files.length === 0) return fail(`no .mlir files found in ${args.paths.join(', ')}`, skipped);
      const loaded = await loadPrograms(files, (i) => io.err(formatInvalid(i) + '\n'), { entryName: args.entry });
      const invalid = [...skipped, ...loaded.invalid];
      const exec: ExecOptions = { timeoutMs: args.timeout, compileTimeoutMs: args.compileTimeout };
      const cases = loaded.programs.map((p) => testCase(p, pipeline, args.inputSeed, args.entry));
      const summary = new CheckSummary();
      const progress = new StatusLine(io);
      const t0 = performance.now();
      // With no --pipeline there is nothing to void the miscompile oracle; with one, its catalog says what may be judged.
      const catalog = executors[0] && targetOf(executors[0].name)?.catalog;
      const oracles = catalog ? defaultOracles(catalog) : DEFAULT_ORACLES;
      let finished = false;
      const finish = (interrupted?: NodeJS.Signals): CheckReport => {
        // Once: the signal's hook and the end of the loop can both get here.
        if (finished) return summary.report;
        finished = true;
        progress.done();
        summary.onEnd();
        const report = summary.report;
        if (args.json) io.out(JSON.stringify({ parameters, ...(interrupted && { interrupted }), ...report, invalid_inputs: invalid }, null, 1) + '\n');
        else printTotals(report, invalid.length, io, interrupted);
        return report;
      };
      // Stopped by a signal: what finished so far is still reported (runs cut short by the kill are not counted).
      const unregister = onShutdown((signal) => void finish(signal));
      try {
        for await (const r of checkCases(cases, { reference, executors, oracles, exec, stepBudget: args.stepBudget })) {
          if (shutdownSignal()) break;
          summary.onCaseChecked(r);
          if (!args.json) printFindings(r, io);
          progress.show(() => progressLine(summary.report, cases.length, t0));
        }
      } finally {
        unregister();
      }
      const report = finish();
      // A finding outranks invalid input: a script waiting for findings must not miss one in a mixed batch.
      if (report.disagreements.length || report.backend_failures.length) return Exit.Found;
      return invalid.length ? Exit.Usage : Exit.Ok;
    } finally {
      await Promise.all(executors.map((e) => e.close()));
    }
  },
};

export function testCase(p: LoadedProgram, pipeline: Pipeline, inputSeed: number, entry = 'main'): TestCase {
  return { name: p.file, program: { text: p.text, entry: { name: entry, args: p.args.map(entryBuffer) }, ir: p.module }, pipeline, inputSeed };
}

function progressLine(r: Readonly<CheckReport>, total: number, t0: number): string {
  const secs = (performance.now() - t0) / 1000;
  const findings = r.disagreements.length + r.backend_failures.length;
  return `${r.cases}/${total} cases  ${(r.cases / secs).toFixed(1)}/s  findings ${findings}  ub-discarded ${r.ub_discarded}`;
}

function printFindings(r: CaseResult, io: Io): void {
  if (r.discarded === 'unsupported' && (r.reference.kind === 'unsupported')) io.out(`UNSUPPORTED ${r.case.name}: ${r.reference.op}: ${r.reference.message}\n`);
  for (const f of r.findings) {
    if (f.kind === 'miscompile') io.out(`DISAGREE ${r.case.name} interp vs ${f.executor} ${f.detail}\n`);
    else io.out(`FAIL ${r.case.name} ${f.executor} ${f.kind}: ${f.detail}\n`);
  }
}

function printTotals(r: CheckReport, invalid: number, io: Io, interrupted?: string): void {
  if (interrupted) io.out(`interrupted by ${interrupted}: the totals cover the cases finished before it\n`);
  const judged = r.cases - r.ub_discarded - r.hang_discarded - r.unsupported - r.unportable;
  io.out(
    `cases ${r.cases}  judged ${judged}  agree ${r.agree} (${(100 * r.agreement).toFixed(1)}%)  ub-discarded ${r.ub_discarded}  ` +
      `hang-discarded ${r.hang_discarded}  unsupported ${r.unsupported}  unportable ${r.unportable}  invalid ${invalid}\n`,
  );
  io.out(`interpreter executed ${r.interp_ops_executed} distinct ops; ${r.seconds.toFixed(1)} s\n`);
}
