// `tcfuzz fmt`: reads MLIR in any syntax (custom syntax through mlir-opt), verifies it, and prints it in tcfuzz's
// canonical generic form, keeping the file's leading comment lines (gen's provenance header). A bad file gets one
// `file:line:col: error: ...` line and the others still go through; exit 2 if any failed. Inputs are never overwritten.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { printOp } from '../ir/printer.ts';
import type { CliCommand } from './command.ts';
import { Exit } from './io.ts';
import { text } from './options.ts';
import { formatInvalid, loadPrograms, STDIN } from './program-files.ts';

type Args = { files: string[]; out?: string };

/** Between modules on stdout, the separator `mlir-opt --split-input-file` reads. */
const SPLIT = '// -----\n';

export const fmtCommand: CliCommand<Args> = {
  command: 'fmt <files..>',
  describe: "parse and verify MLIR files (any syntax) and print them in tcfuzz's generic form",
  options: (y: Argv) =>
    y
      .positional('files', { type: 'string', array: true, describe: "MLIR files, or '-' for standard input" })
      .option('out', { alias: 'o', coerce: text('out'), describe: 'write DIR/<basename of each file> instead of stdout (never over an input)' }) as unknown as Argv<Args>,
  async run(args, io) {
    if (args.out) mkdirSync(args.out, { recursive: true });
    const { programs, invalid } = await loadPrograms(args.files, (i) => io.err(formatInvalid(i) + '\n'), { entry: false });
    const inputs = new Set(args.files.filter((f) => f !== STDIN).map((f) => resolve(f)));
    const written = new Map<string, string>();
    let failed = invalid.length;
    let printed = 0;
    for (const p of programs) {
      const out = header(p.file) + printOp(p.module);
      if (!args.out) {
        io.out((printed++ > 0 ? SPLIT : '') + out);
        continue;
      }
      const dest = resolve(join(args.out, basename(p.file)));
      const earlier = written.get(dest);
      const why = inputs.has(dest) ? 'it is an input file' : earlier !== undefined ? `${dest} already holds the output for ${earlier}` : undefined;
      if (why) {
        io.err(`${p.file}: error: not written: ${why}\n`);
        failed++;
        continue;
      }
      writeFileSync(dest, out);
      written.set(dest, p.file);
    }
    return failed > 0 ? Exit.Usage : Exit.Ok;
  },
};

/** The file's leading `//` comment lines, which the printer cannot know about. */
function header(file: string): string {
  if (file === STDIN) return '';
  const lines: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('//') || line.startsWith('// -----')) break;
    lines.push(line + '\n');
  }
  return lines.join('');
}
