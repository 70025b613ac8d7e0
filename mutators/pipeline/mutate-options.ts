// Changes one option of one step: sets it to another value of its domain, or (less often) drops it back to the
// pass's default. Required options are redrawn, never dropped.
import type { OptionValue } from '../../contracts/pipeline.ts';
import type { PipelineMutator } from './context.ts';
import { drawOptionValue } from './option-values.ts';
import { DEFAULT_PASS_CHOICE } from './pass-choice.ts';

/** Share of option mutations that drop a set option rather than draw a value. */
const DROP_CHANCE = 0.15;

export const mutateOptions: PipelineMutator = {
  name: 'mutate-options',
  mutate(p, ctx) {
    const extreme = (ctx.choice ?? DEFAULT_PASS_CHOICE).extremeChance;
    const tunable = p.map((s, k) => [k, ctx.catalog.lookup(s.pass)] as const).filter(([, info]) => info && Object.keys(info.options).length > 0);
    if (tunable.length === 0) return undefined;
    const [at, info] = ctx.random.pick(tunable);
    const s = p[at]!;
    const options: Record<string, OptionValue> = { ...(s.options ?? {}) };
    const droppable = Object.keys(options).filter((k) => info!.required?.[k] === undefined);
    if (droppable.length > 0 && ctx.random.chance(DROP_CHANCE)) {
      delete options[ctx.random.pick(droppable)];
    } else {
      const name = ctx.random.pick(Object.keys(info!.options));
      const v = drawOptionValue(ctx.random, info!.options[name]!, options[name], extreme);
      if (v === undefined) return undefined;
      options[name] = v;
    }
    const { options: _old, ...rest } = s;
    const step = Object.keys(options).length > 0 ? { ...rest, options } : rest;
    return [...p.slice(0, at), step, ...p.slice(at + 1)];
  },
};
