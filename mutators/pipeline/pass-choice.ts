// Which pass a mutator adds, and the step it becomes: passes are drawn by stage weight times the campaign's
// weight for the pass (rare passes up), and a new step sets some of its options to values drawn from their domains.
import type { OptionValue, PassInfo, PassStage, PassStep } from '../../contracts/pipeline.ts';
import type { PipelineMutationContext } from './context.ts';
import { pickWeighted } from './context.ts';
import { drawOptionValue } from './option-values.ts';

/** The weights behind every pass a mutator draws; a campaign records them and may override any. */
export type PassChoiceWeights = {
  /** Per stage. Executors append their own lowering, so lowering passes in a user pipeline stay rare. */
  readonly stage: Readonly<Record<PassStage, number>>;
  /** Multiplies the weight of passes that change the entry's signature, which no harness can then call. */
  readonly changesEntryAbi: number;
  /** Chance that a new step sets each option it need not set. */
  readonly optionChance: number;
  /** Chance that a new step redraws a required option (it keeps the catalog's value otherwise). */
  readonly requiredOptionChance: number;
  /** Chance that an op-agnostic pass runs on the root op rather than where the catalog nests it. */
  readonly rootNestChance: number;
  /** Chance that a drawn integer is an end of its range. */
  readonly extremeChance: number;
};

export const DEFAULT_PASS_CHOICE: PassChoiceWeights = {
  stage: { optimization: 1, test: 1, lowering: 0.1 },
  changesEntryAbi: 0,
  optionChance: 0.3,
  requiredOptionChance: 0.3,
  rootNestChance: 0.25,
  extremeChance: 0.3,
};

/** A pass's chance of being drawn, before normalisation; 0 means never. */
export function passWeight(ctx: PipelineMutationContext, info: PassInfo): number {
  const w = ctx.choice ?? DEFAULT_PASS_CHOICE;
  const campaign = ctx.passWeight?.(info.name) ?? 1;
  return w.stage[info.stage] * (info.changesEntryAbi ? w.changesEntryAbi : 1) * Math.max(0, campaign);
}

/** A catalog pass drawn by weight, other than `except`; undefined when none has a weight. */
export function choosePass(ctx: PipelineMutationContext, except?: string): PassInfo | undefined {
  return pickWeighted(
    ctx.random,
    ctx.catalog.passes.filter((p) => p.name !== except).map((p) => [passWeight(ctx, p), p] as const),
  );
}

/** A step for `info` as the catalog nests it (op-agnostic passes sometimes at the root), some options drawn. */
export function randomStep(ctx: PipelineMutationContext, info: PassInfo): PassStep {
  const w = ctx.choice ?? DEFAULT_PASS_CHOICE;
  const options: Record<string, OptionValue> = {};
  for (const [name, domain] of Object.entries(info.options)) {
    const required = info.required?.[name];
    if (!ctx.random.chance(required !== undefined ? w.requiredOptionChance : w.optionChance)) continue;
    const v = drawOptionValue(ctx.random, domain, required, w.extremeChance);
    if (v !== undefined) options[name] = v;
  }
  const s = ctx.catalog.step(info.name, options);
  return info.anchors.includes('any') && ctx.random.chance(w.rootNestChance) ? { ...s, nest: [] } : s;
}

/** A fresh random step, or undefined when no pass can be drawn. */
export function newStep(ctx: PipelineMutationContext, except?: string): PassStep | undefined {
  const info = choosePass(ctx, except);
  return info && randomStep(ctx, info);
}
