// tcfuzz command line. `main` returns the exit code and never exits the process, so tests call it in-process.
import yargs from 'yargs';
import { ToolchainMissing } from '../targets/mlir/toolchain.ts';
import { checkCommand } from './check.ts';
import type { CliCommand } from './command.ts';
import { corpusCommand } from './corpus.ts';
import { fmtCommand } from './fmt.ts';
import { fuzzCommand } from './fuzz.ts';
import { genCommand } from './gen.ts';
import type { Io } from './io.ts';
import { Exit, processIo } from './io.ts';
import { STDIN } from './program-files.ts';
import { reportCommand } from './report.ts';
import { reproCommand } from './repro.ts';
import { runCommand } from './run.ts';
import { triageCommand } from './triage.ts';
import { tcfuzzVersion } from './version.ts';

const commands: CliCommand[] = [genCommand, fmtCommand, runCommand, checkCommand, fuzzCommand, corpusCommand, triageCommand, reproCommand, reportCommand];

const EPILOGUE = `Exit codes: 0 nothing found, 77 findings (they win over bad input in the same run), 2 usage, input or
toolchain error.
Environment: TCFUZZ_LLVM_BIN=DIR uses the LLVM/MLIR tools in DIR instead of Debian's llvm-22 packages;
TCFUZZ_TRACE_TOOLS=1 logs every tool run with its duration.`;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code: number = Exit.Ok;
  // yargs drops a bare '-' from positionals; it names standard input (program-files.ts).
  argv = argv.map((a) => (a === '-' ? STDIN : a));
  let y = yargs(argv)
    .scriptName('tcfuzz')
    .strict()
    .demandCommand(1, 'name a command')
    .recommendCommands()
    .exitProcess(false)
    .help()
    .version(tcfuzzVersion())
    .epilogue(EPILOGUE)
    .wrap(Math.min(120, process.stdout.columns || 120))
    .fail((msg, err) => {
      if (err) throw err;
      const suggestion = /^Did you mean (.+)\?$/.exec(msg ?? '');
      throw new UsageError(suggestion ? `unknown command '${argv[0]}', did you mean ${suggestion[1]}?` : msg);
    });
  for (const c of commands) {
    y = y.command(c.command, c.describe, (b) => c.options(b), async (args) => {
      code = await c.run(args, io);
    });
  }
  try {
    await y.parseAsync(argv, {}, (_err, _argv, output) => {
      if (output) io.out(output + '\n');
    });
    return code;
  } catch (e) {
    const usage = e instanceof UsageError || (e instanceof Error && e.name === 'YError');
    if (!(e instanceof ToolchainMissing) && !usage) throw e;
    const message = (e as Error).message;
    // With --json, stdout always holds one JSON object, also when the command never started.
    if (argv.includes('--json')) io.out(JSON.stringify({ error: { kind: usage ? 'usage' : 'toolchain', message } }, null, 1) + '\n');
    io.err(`tcfuzz: ${message}\n${usage ? "Run 'tcfuzz --help' for usage.\n" : ''}`);
    return Exit.Usage;
  }
}

class UsageError extends Error {}
