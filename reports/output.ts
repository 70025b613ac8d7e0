// The output folder of a report: checked before anything is rendered, so a bad --out costs no work and leaves no
// half-written report.
import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ReportOutput } from './renderer.ts';

/** Why no report can be written to `dir`, or undefined: `dir`, or its nearest existing parent, must be a writable folder. */
export function unwritableReason(dir: string): string | undefined {
  for (let p = resolve(dir); ; p = dirname(p)) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOTDIR: a file stands somewhere above; walking up finds it.
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(p) !== p) continue;
      return `${p}: ${(e as Error).message}`;
    }
    if (!isDir) return `${p} is a file, not a folder`;
    try {
      accessSync(p, constants.W_OK | constants.X_OK);
    } catch {
      return `${p} is not writable`;
    }
    return undefined;
  }
}

/** Files under `dir` (created as needed), or no folder at all; standard output through `print`. */
export function folderOutput(dir: string | undefined, print: (text: string) => void): ReportOutput {
  return {
    hasFolder: dir !== undefined,
    write(name, text) {
      if (dir === undefined) throw new Error(`no output folder for ${name}`);
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    },
    exists: (name) => dir !== undefined && existsSync(join(dir, name)),
    print,
  };
}
