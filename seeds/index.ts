// The seed templates: hand-written tensor operator kernels (loop programs with the @main(memref...) ABI) that
// start a fuzz campaign's pool. Every template takes shape and dtype parameters; see README.md.
import { CONVOLUTION } from './convolution.ts';
import { DATA_MOVEMENT } from './data-movement.ts';
import { ELEMENTWISE } from './elementwise.ts';
import { LINEAR_ALGEBRA } from './linear-algebra.ts';
import { NORMALIZATION } from './normalization.ts';
import { REDUCTION } from './reduction.ts';
import { randomInstance } from './template.ts';
import type { Params, SeedInstance, SeedRandom, SeedTemplate } from './template.ts';

export type { ParamSpec, ParamValue, Params, SeedInstance, SeedRandom, SeedTemplate } from './template.ts';
export { MAX_BUFFER_ELEMENTS, randomInstance } from './template.ts';

export const SEED_TEMPLATES: readonly SeedTemplate[] = [...LINEAR_ALGEBRA, ...CONVOLUTION, ...NORMALIZATION, ...REDUCTION, ...ELEMENTWISE, ...DATA_MOVEMENT];

/** One instance of every template: its defaults, or the parameters `pick` chooses for it (missing ones default). */
export function seedPrograms(pick?: (t: SeedTemplate) => Partial<Params>): SeedInstance[] {
  return SEED_TEMPLATES.map((t) => t.instantiate(pick?.(t)));
}

/** For every template, its default instance and `count` random ones (duplicates of earlier instances dropped). */
export function seedPool(random: SeedRandom, count = 1): SeedInstance[] {
  const seen = new Set<string>();
  const out: SeedInstance[] = [];
  for (const t of SEED_TEMPLATES) {
    for (const inst of [t.instantiate(), ...Array.from({ length: count }, () => randomInstance(t, random))]) {
      if (seen.has(inst.name)) continue;
      seen.add(inst.name);
      out.push(inst);
    }
  }
  return out;
}

export function templateNamed(name: string): SeedTemplate | undefined {
  return SEED_TEMPLATES.find((t) => t.name === name);
}
