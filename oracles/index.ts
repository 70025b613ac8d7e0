// The oracles a check runs by default, in the order their findings are listed.
import type { Oracle } from '../contracts/oracle.ts';
import type { PassCatalog } from '../contracts/pipeline.ts';
import { compileFailure } from './compile-failure.ts';
import { crash } from './crash.ts';
import { hang } from './hang.ts';
import { invalidIr } from './invalid-ir.ts';
import { miscompile } from './miscompile.ts';
import { passFailure } from './pass-failure.ts';
import { runtimeTrap } from './runtime-trap.ts';
import { firstUnjudgedStep } from './semantics-promise.ts';

export { compileFailure, crash, hang, invalidIr, miscompile, passFailure, runtimeTrap };
export { describeFailure } from './describe-failure.ts';

export const DEFAULT_ORACLES: readonly Oracle[] = [miscompile, crash, hang, invalidIr, passFailure, compileFailure, runtimeTrap];

/**
 * The default oracles for a target's pipelines: a wrong result or a trap is judged only when every pass of the
 * pipeline promises to keep the program's meaning (`PassInfo.semantics`); crashes, hangs and invalid IR always are.
 */
export function defaultOracles(catalog: PassCatalog): readonly Oracle[] {
  const judged = (o: Oracle): Oracle => ({ name: o.name, judge: (run) => (firstUnjudgedStep(catalog, run.case.pipeline) ? [] : o.judge(run)) });
  return DEFAULT_ORACLES.map((o) => (o === miscompile || o === runtimeTrap ? judged(o) : o));
}
