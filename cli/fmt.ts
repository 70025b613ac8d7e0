// `tcfuzz fmt`: parses generic-form MLIR files, verifies them, and prints them back in tcfuzz's own form.
// A bad file gets one `file:line:col: error: ...` line on stderr and the others still go through; exit 2 if any failed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { IrError } from '../ir/diagnostic.ts';
import { parseModule } from '../ir/parser/index.ts';
import { printOp } from '../ir/printer.ts';
import { verifyModule } from '../ir/verifier.ts';
import type { CliCommand } from './command.ts';
import { Exit } from './io.ts';
import type { Io } from './io.ts';

type Args = { files: string[]; out?: string };

/** Between modules on stdout, the separator `mlir-opt --split-input-file` reads. */
const SPLIT = '// -----\n';

export const fmtCommand: CliCommand<Args> = {
  command: 'fmt <files..>',
  describe: 'parse generic-form MLIR (normalise custom syntax with mlir-opt --mlir-print-op-generic first), verify it, print it back',
  options: (y: Argv) =>
    y
      .positional('files', { type: 'string', array: true, describe: 'MLIR files in generic op form' })
      .option('out', { alias: 'o', type: 'string', describe: 'write DIR/<basename of each file> instead of stdout' }) as unknown as Argv<Args>,
  async run(args, io) {
    if (args.out) mkdirSync(args.out, { recursive: true });
    const written = new Map<string, string>();
    let failed = 0;
    let printed = 0;
    for (const file of args.files) {
      const text = formatFile(file, io);
      if (text === undefined) {
        failed++;
        continue;
      }
      if (!args.out) {
        io.out((printed++ > 0 ? SPLIT : '') + text);
        continue;
      }
      const dest = resolve(join(args.out, basename(file)));
      const earlier = written.get(dest);
      if (earlier !== undefined) {
        io.err(`${file}: error: not written: ${dest} already holds the output for ${earlier}\n`);
        failed++;
        continue;
      }
      writeFileSync(dest, text);
      written.set(dest, file);
    }
    return failed > 0 ? Exit.Usage : Exit.Ok;
  },
};

/** The printed module, or undefined after reporting why the file is bad. */
function formatFile(file: string, io: Io): string | undefined {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    io.err(`${file}: error: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return undefined;
  }
  try {
    const m = parseModule(source, file);
    const errors = verifyModule(m);
    if (errors.length > 0) {
      for (const e of errors) io.err(e.format(file) + '\n');
      return undefined;
    }
    return printOp(m);
  } catch (e) {
    if (!(e instanceof IrError)) throw e;
    io.err(e.format(file) + '\n');
    return undefined;
  }
}
