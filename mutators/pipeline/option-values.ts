// Values drawn from an option's domain. Non-default settings reach code the defaults never do (DESIGN §6), so a
// draw always differs from the value the step has now, and integer draws favour the ends of their range.
import type { Random } from '../../contracts/mutator.ts';
import type { OptionDomain, OptionValue } from '../../contracts/pipeline.ts';

const TRIES = 8;

/** A value of `domain` other than `current`; undefined when the domain has no other. */
export function drawOptionValue(random: Random, domain: OptionDomain, current: OptionValue | undefined, extremeChance: number): OptionValue | undefined {
  for (let k = 0; k < TRIES; k++) {
    const v = drawOnce(random, domain, current, extremeChance);
    if (v === undefined) return undefined;
    if (current === undefined || !sameValue(v, current)) return v;
  }
  return undefined;
}

function drawOnce(random: Random, d: OptionDomain, current: OptionValue | undefined, extremeChance: number): OptionValue | undefined {
  switch (d.kind) {
    case 'bool':
      // A flag left out is almost always off by default, so setting it means turning it on.
      return current === undefined ? true : !current;
    case 'int':
      return drawInt(random, d.min, d.max, extremeChance);
    case 'int-list': {
      const n = random.int(1, Math.max(1, d.maxLen));
      return Array.from({ length: n }, () => drawInt(random, d.min, d.max, extremeChance));
    }
    case 'number':
    case 'enum':
    case 'string':
      return d.values.length === 0 ? undefined : random.pick<OptionValue>(d.values);
  }
}

function drawInt(random: Random, min: number, max: number, extremeChance: number): number {
  if (random.chance(extremeChance)) return random.chance(0.5) ? min : max;
  return random.int(min, max);
}

export function sameValue(a: OptionValue, b: OptionValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, k) => x === b[k]);
  return a === b;
}
