// tcfuzz command line. `main` returns the exit code and never exits the process, so tests call it in-process.
import yargs from 'yargs';
import type { CliCommand } from './command.ts';
import { fmtCommand } from './fmt.ts';
import { genCommand } from './gen.ts';
import { runCommand } from './run.ts';
import { checkCommand } from './check.ts';
import { Exit, processIo } from './io.ts';
import type { Io } from './io.ts';
import { ToolchainMissing } from '../targets/mlir/toolchain.ts';

const commands: CliCommand[] = [genCommand, fmtCommand, runCommand, checkCommand];

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code: number = Exit.Ok;
  let y = yargs(argv)
    .scriptName('tcfuzz')
    .strict()
    .demandCommand(1, 'name a command')
    .exitProcess(false)
    .help()
    .version(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
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
    if (e instanceof ToolchainMissing) {
      io.err(`tcfuzz: ${e.message}\n`);
      return Exit.Usage;
    }
    if (e instanceof UsageError || (e instanceof Error && e.name === 'YError')) {
      io.err(`tcfuzz: ${e.message}\nRun 'tcfuzz --help' for usage.\n`);
      return Exit.Usage;
    }
    throw e;
  }
}

class UsageError extends Error {}
