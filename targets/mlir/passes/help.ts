// Reads the pass list out of `mlir-opt --help`: the ground truth the catalog is checked against.
import { execFileSync } from 'node:child_process';

export type HelpOption = { readonly name: string; readonly type?: string; readonly enumValues: readonly string[] };
export type HelpPass = { readonly name: string; readonly description: string; readonly options: ReadonlyMap<string, HelpOption> };

/**
 * Passes are listed under "Passes:" as `      --name   -   description` (6 spaces), their options as
 * `        --opt=<type>   - description` (8 spaces) and enum values as `    =value   -   description`.
 */
export function parsePassHelp(help: string): Map<string, HelpPass> {
  const lines = help.split('\n');
  const start = lines.findIndex((l) => /^\s+Passes:\s*$/.test(l));
  const end = lines.findIndex((l, k) => k > start && /^\s+Pass Pipelines:\s*$/.test(l));
  const passes = new Map<string, HelpPass>();
  if (start < 0) return passes;
  let cur: { name: string; description: string; options: Map<string, HelpOption> } | undefined;
  let curOpt: { name: string; type?: string; enumValues: string[] } | undefined;
  for (const line of lines.slice(start + 1, end < 0 ? undefined : end)) {
    const pm = /^ {6}--([\w-]+)\s+-\s+(.*)$/.exec(line);
    if (pm) {
      cur = { name: pm[1]!, description: pm[2]!.trim(), options: new Map() };
      passes.set(cur.name, cur);
      curOpt = undefined;
      continue;
    }
    const om = /^ {8}--([\w-]+)(?:=<([^>]*)>)?\s/.exec(line);
    if (om && cur) {
      curOpt = { name: om[1]!, ...(om[2] !== undefined ? { type: om[2] } : {}), enumValues: [] };
      cur.options.set(curOpt.name, curOpt);
      continue;
    }
    const em = /^ {4}=([\w.-]*)\s/.exec(line);
    if (em && curOpt) curOpt.enumValues.push(em[1]!);
  }
  return passes;
}

export function mlirOptPasses(mlirOpt: string): Map<string, HelpPass> {
  return parsePassHelp(execFileSync(mlirOpt, ['--help'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
}
