// Runs MLIR programs (any syntax) through the check unit on interp, native and wasm with the
// default oracles (oracles/index.ts), and gathers the findings per program. Programs are normalised to the generic form by
// one mlir-opt call and parsed with unregistered ops allowed (the reference models some ops the IR registry lacks).
import type { TestCase } from '../../contracts/case.ts';
import type { Finding } from '../../contracts/oracle.ts';
import type { ReferenceOutcome } from '../../contracts/reference.ts';
import type { Executor } from '../../contracts/target.ts';
import { checkCases as checkUnit } from '../../check/check-cases.ts';
import { entryArgs, entryBuffer } from '../../ir/entry-abi.ts';
import { parseModule } from '../../ir/parser/index.ts';
import { DEFAULT_ORACLES } from '../../oracles/index.ts';
import { createExecutor, reference } from '../../targets/registry.ts';
import { genericForms } from '../helpers/toolchain.ts';

export function compiledExecutors(): Executor[] {
  return [createExecutor('native'), createExecutor('wasm')];
}

export type CaseFindings = { readonly case: TestCase; readonly reference: ReferenceOutcome; readonly findings: readonly Finding[] };

/** Findings per program name, with input seed 0 and no pipeline. */
export async function checkPrograms(programs: readonly { name: string; text: string }[], executors: readonly Executor[]): Promise<Map<string, CaseFindings>> {
  const generic = genericForms(programs.map((p) => p.text));
  const cases: TestCase[] = programs.map((p, k) => {
    const module = parseModule(generic[k]!, p.name, { allowUnregistered: true });
    return { name: p.name, program: { text: p.text, entry: { name: 'main', args: entryArgs(module, 'main', p.name).map(entryBuffer) }, ir: module }, pipeline: [], inputSeed: 0 };
  });
  const out = new Map<string, CaseFindings>();
  for await (const r of checkUnit(cases, { reference, executors, oracles: DEFAULT_ORACLES })) {
    out.set(r.case.name, { case: r.case, reference: r.reference, findings: r.findings });
  }
  return out;
}
