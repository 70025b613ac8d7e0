// Whether a changed result may be judged a miscompile: every step of the pipeline must promise to preserve
// semantics (contracts/pipeline.ts, SemanticsPromise). Crashes, hangs and invalid IR are findings regardless.
import type { OptionValue, PassCatalog, PassStep, Pipeline } from '../contracts/pipeline.ts';

const sameValue = (a: OptionValue, b: OptionValue): boolean =>
  Array.isArray(a) || Array.isArray(b) ? Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, k) => x === b[k]) : a === b;

export type Unjudged = { readonly index: number; readonly step: PassStep; readonly reason: string };

/** Why `step` makes no promise, or undefined when it promises to keep the program's meaning. */
export function noPromiseReason(catalog: PassCatalog, step: PassStep): string | undefined {
  const promise = catalog.lookup(step.pass)?.semantics;
  if (!promise || promise.kind === 'preserves') return undefined;
  if (promise.kind === 'no-promise') return promise.reason;
  for (const b of promise.options) {
    const v: OptionValue = step.options?.[b.option] ?? b.default;
    if (sameValue(v, b.value)) return `${b.option}=${String(b.value)}: ${b.reason}`;
  }
  return undefined;
}

/** The first step that voids the pipeline's promise, or undefined when a changed result is a miscompile. */
export function firstUnjudgedStep(catalog: PassCatalog, p: Pipeline): Unjudged | undefined {
  for (const [index, step] of p.entries()) {
    const reason = noPromiseReason(catalog, step);
    if (reason !== undefined) return { index, step, reason };
  }
  return undefined;
}
