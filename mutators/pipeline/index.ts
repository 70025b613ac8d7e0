// Pipeline mutation (DESIGN §6): GA operators over any compiler's PassCatalog, fresh random pipelines, Tzer's
// useful-pass shrinking. (Which pipelines may be judged for miscompiles: oracles/semantics-promise.ts.)
export type { PipelineMutationContext, PipelineMutator } from './context.ts';
export { DEFAULT_MAX_LENGTH, samePipeline, sameStep } from './context.ts';
export type { PassChoiceWeights } from './pass-choice.ts';
export { DEFAULT_PASS_CHOICE, passWeight } from './pass-choice.ts';
export type { PipelineMutation } from './registry.ts';
export { DEFAULT_MUTATOR_WEIGHTS, mutatePipeline, PIPELINE_MUTATORS, randomPipeline, resolveMutatorWeights } from './registry.ts';
export { PASS_FEATURE, usefulByFeature, usefulPasses } from './useful-passes.ts';
