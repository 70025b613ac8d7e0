// Every tunable weight and probability of the generator, by group and name (Csmith's Probabilities), so that a
// campaign can record the set it ran with and tune it: `generateFromSeed(seed, { weights: { statement: { scfFor: 5 } } })`.
//
// A weighted group is a distribution: an entry's chance is its weight over the group's total, and a weight of 0
// turns the entry off. The `chance` group holds probabilities (0 to 1) of yes/no decisions. Entry order is part
// of the draw, so it only changes together with the seeds' programs. Even coin flips between two forms of one
// construct (divsi or divui, index_cast or index_castui, which of two results to use, which bound an assertion
// checks) stay inline, and so do two uniform draws that predate this table (vectorOp's kind, floatConstant's
// class): turning them into weights would change every seed's program.

type Entry = readonly [name: string | number, weight: number, doc?: string];
type GroupDef = { readonly doc: string; readonly entries: readonly Entry[] };

export const WEIGHT_GROUPS = {
  statement: {
    doc: 'What the next statement is (statements.ts). A kind that does not fit where it is drawn is redrawn, up to 4 times.',
    entries: [
      ['scalar', 10, 'a new scalar value (see the *Value groups)'],
      ['load', 5],
      ['store', 7, 'a store of a recently computed value'],
      ['scfFor', 2.5],
      ['scfIf', 1.5],
      ['scfWhile', 0.8],
      ['scfParallel', 0.8],
      ['executeRegion', 0.4, 'scf.execute_region holding a cf diamond'],
      ['affineFor', 2],
      ['affineIf', 1],
      ['affineIndexOp', 1.2, 'affine.apply, min or max (see affineIndexOp)'],
      ['vectorOp', 2.5],
      ['call', 1.5],
      ['allocate', 0.8, 'memref.alloc or alloca, then initialised'],
      ['subview', 0.6],
      ['castAndDim', 0.5],
      ['copy', 0.4],
      ['globalBuffer', 0.3],
      ['cfDiamond', 0.5],
      ['cfLoop', 0.3],
      ['cfAssert', 0.3],
      ['vectorPrint', 0.15],
      ['vectorLoad', 0.6],
      ['vectorStore', 0.5],
      ['maskedAccess', 0.5],
      ['maskedTransfer', 0.3, 'vector.mask around a transfer_read or transfer_write'],
      ['indexedAccess', 0.4, 'vector.gather/scatter (constant offsets), compressstore/expandload, with generated masks'],
      ['atomicRmw', 0.3],
      ['rank', 0.2],
      ['reinterpretCast', 0.3],
      ['reshape', 0.3, 'memref.reshape to another factorisation, the shape read from a buffer'],
      ['cfSwitch', 0.3],
      ['scfIndexSwitch', 0.4],
      ['affineParallel', 0.6],
    ],
  },
  scalarType: {
    doc: 'The type of a new scalar value, loop-carried value or callee argument.',
    entries: [
      ['i32', 5],
      ['i64', 2],
      ['anyInt', 1, 'any of i1, i3, i6, i8, i16, i17, i32, i63, i64'],
      ['index', 2],
      ['f32', 4],
      ['anyFloat', 1, 'any of f32, f64, f16, bf16'],
    ],
  },
  intValue: {
    doc: 'How a new integer value (wider than i1) is computed.',
    entries: [
      ['binary', 8, 'arith binary op, guarded against UB'],
      ['unary', 1, 'math.absi, ctlz, cttz, ctpop'],
      ['power', 0.5, 'math.ipowi with a small exponent'],
      ['exactRoundTrip', 1, 'shift or multiply, then an exact shift or division back'],
      ['extended', 1, 'addui_extended, mulsi_extended, mului_extended'],
      ['select', 1.5],
      ['constant', 1],
      ['operand', 1, 'an existing value, or a conversion'],
      ['fromIndex', 0.3, 'index.casts / index.castu of an index'],
    ],
  },
  boolValue: {
    doc: 'How a new i1 value is computed.',
    entries: [
      ['compare', 4],
      ['classify', 1, 'math.isnan, isinf, isfinite, isnormal'],
      ['binary', 2],
      ['constant', 1],
      ['indexCompare', 1, 'index.cmp'],
      ['indexConstant', 0.5, 'index.bool.constant'],
    ],
  },
  indexValue: {
    doc: 'How a new index value is computed.',
    entries: [
      ['binary', 5],
      ['select', 1],
      ['operand', 1],
      ['dialect', 2, 'index dialect binary op (index.add, index.divs, index.shl, ...)'],
      ['dialectConstant', 0.3, 'index.constant'],
      ['fromInt', 0.5, 'index.casts / index.castu of an integer'],
      ['sizeof', 0.03, 'min(index.sizeof, 32): unportable when judged at a 32-bit index'],
    ],
  },
  floatValue: {
    doc: 'How a new float value is computed.',
    entries: [
      ['binary', 6, 'exact arith binary op, or sometimes an approximate math one (chance.approxFloatBinary)'],
      ['unary', 3, 'exact, or approximate (chance.approxFloatUnary)'],
      ['fma', 1],
      ['powi', 0.4],
      ['clamp', 0.3],
      ['sincos', 0.3],
      ['select', 1],
      ['constant', 1],
      ['operand', 1],
    ],
  },
  indexGuard: {
    doc: 'How an index is brought into [0, n) when its range does not prove it.',
    entries: [
      ['arith.remui', 3],
      ['arith.remsi', 1],
      ['arith.minui', 1],
    ],
  },
  affineIndexOp: {
    doc: 'Which op the affineIndexOp statement emits.',
    entries: [
      ['affine.apply', 3],
      ['affine.min', 1],
      ['affine.max', 1],
    ],
  },
  printPunctuation: {
    doc: 'The punctuation of vector.print.',
    entries: [
      ['newline', 4],
      ['comma', 1],
      ['no_punctuation', 1],
    ],
  },
  argCount: { doc: "Number of @main's memref arguments.", entries: [[1, 2], [2, 4], [3, 3], [4, 1]] },
  argRank: { doc: "Rank of each of @main's memref arguments.", entries: [[1, 6], [2, 3], [3, 1]] },
  argDim: { doc: "Each dimension of @main's arguments (halved while the buffer holds more than 64 elements).", entries: [[1, 1], [4, 3], [3, 2], [8, 2], [5, 1], [7, 1]] },
  argElem: {
    doc: "Element type of @main's arguments.",
    entries: [
      ['f32', 4],
      ['i32', 4],
      ['i64', 1],
      ['f64', 1],
      ['i16', 1],
      ['i8', 1],
      ['f16', 1],
      ['bf16', 1],
    ],
  },
  forLowerBound: { doc: 'Lower bound of scf.for.', entries: [[0, 4], [1, 1], [3, 1]] },
  forSpan: { doc: 'Upper minus lower bound of scf.for: zero and negative spans make zero-trip loops.', entries: [[0, 1], [-1, 1], [3, 3], [5, 3], [7, 2], [8, 2], [12, 1]] },
  forStep: { doc: 'Step of scf.for.', entries: [[1, 5], [2, 2], [3, 1]] },
  whileSpan: { doc: 'Limit minus start of the counter of scf.while.', entries: [[0, 1], [3, 3], [6, 2]] },
  cfLoopTrips: { doc: 'Trip count of a loop built from cf blocks.', entries: [[0, 1], [3, 3], [5, 2]] },
  affineForSpan: { doc: 'The constant cap of affine.for above its lower bound.', entries: [[0, 1], [3, 3], [5, 3], [7, 2], [10, 1]] },
  affineForStep: { doc: 'Step of affine.for.', entries: [[1, 4], [2, 2], [3, 1]] },
  affineCoefficient: { doc: 'Coefficient of a term of an affine expression.', entries: [[1, 4], [2, 1], [-1, 1], [3, 1]] },
  vectorWidth: { doc: 'Width of 1-D vectors: odd widths and widths past a buffer end reach masking and remainder code.', entries: [[4, 4], [8, 2], [2, 1], [3, 1], [5, 1]] },
  chance: {
    doc: 'Probabilities (0 to 1) of yes/no decisions.',
    entries: [
      ['operandReuse', 0.8, 'an operand is an existing value of its type (when there is one)'],
      ['operandConvert', 0.45, 'otherwise, a conversion of a value of another type (else a new constant)'],
      ['preferRecentValue', 0.5, 'an existing value is one of the 4 most recent (else any visible one)'],
      ['boundaryInt', 0.35, 'an integer constant is a boundary value (0, ±1, min, max, width±1, ...)'],
      ['shiftEdgeAmount', 0.3, 'a shift amount is a constant next to the bit width (then guarded)'],
      ['shiftGuardMask', 0.5, 'a shift amount is guarded with andi (power-of-two widths; else remui)'],
      ['indexDialectCompare', 0.3, 'a comparison of index values is index.cmp (else arith.cmpi)'],
      ['reshape2D', 0.5, 'memref.reshape gives two dimensions (else one)'],
      ['nswFlag', 0.4, 'nsw where the ranges prove it'],
      ['nuwFlag', 0.3, 'nuw where the ranges prove it'],
      ['roundTripByShift', 0.5, 'an exact round trip goes through shifts (else multiply and divide)'],
      ['approxFloatBinary', 0.12, 'a float binary op is math.powf or atan2'],
      ['approxFloatUnary', 0.4, 'a float unary op is a transcendental math op'],
      ['floatConditionClassify', 0.2, 'a condition on floats is a classification (else cmpf)'],
      ['extendUnsigned', 0.4, 'an integer extension is extui (else extsi)'],
      ['intToFloatUnsigned', 0.3, 'an int-to-float conversion is uitofp (else sitofp)'],
      ['floatBitcast', 0.3, 'a NaN-free float becomes an integer of its width by bitcast'],
      ['floatToIntSigned', 0.7, 'a float-to-int conversion is fptosi (else fptoui)'],
      ['runtimeLoopBound', 0.2, 'the upper bound of scf.for is computed at run time'],
      ['intInductionVar', 0.1, 'scf.for counts in i32 or i64 (else index)'],
      ['elseBranch', 0.5, 'scf.if and affine.if without results have an else region'],
      ['affineLowerConst', 0.5, 'the lower bound map of affine.for has a constant result'],
      ['affineLowerExpr', 0.4, '... and also an expression over operands (always when no constant)'],
      ['affineUpperExpr', 0.4, 'the upper bound map of affine.for also has an expression over operands'],
      ['affineSymbolOperand', 0.5, 'a valid affine symbol is used as a symbol (else as a dim)'],
      ['affineFloorDiv', 0.2, 'a linear affine expression is divided by a small constant'],
      ['affineConstIndex', 0.2, 'an affine access index is a constant'],
      ['affineDirectIndex', 0.7, 'an affine access index is an in-range value as is'],
      ['calleeMemrefArg', 0.4, "a callee also takes one of @main's memref types"],
      ['inRangeIndex', 0.6, 'a memref index is a value already in range'],
      ['constIndex', 0.3, 'otherwise, a constant (else a clamped value)'],
      ['affineAccess', 0.35, 'a load or store is affine.load/store (when an in-bounds map is found)'],
      ['allocLike', 0.5, 'an allocation copies the shape of an existing buffer'],
      ['allocLikeElem', 0.7, '... and its element type'],
      ['alloca', 0.4, 'an allocation is memref.alloca (else alloc and dealloc)'],
      ['allocDynamicDim', 0.3, 'an alloc has one dynamic dimension'],
      ['allocCopyInit', 0.4, 'an allocation shaped like a buffer is initialised by memref.copy (else a fill loop)'],
      ['fillAffine', 0.4, 'a fill loop nest is affine (else scf)'],
      ['fillConstant', 0.4, 'a fill stores one constant (else a value of the position)'],
      ['castUnranked', 0.4, 'memref.cast goes through an unranked memref (else to dynamic sizes)'],
      ['castDynamicPart', 0.5, 'each size, stride and offset becomes dynamic in a cast'],
      ['dimDefine', 0.5, 'the memref.dim result becomes a visible value'],
      ['globalConstant', 0.6, 'a memref.global is constant'],
      ['reinterpret2D', 0.5, 'memref.reinterpret_cast makes a 2-D view (else 1-D)'],
      ['vectorReuse', 0.6, 'a vector operand is an existing vector'],
      ['vectorTransferRead', 0.6, 'otherwise, a transfer_read (else a broadcast)'],
      ['vectorOperandReuse', 0.5, 'the second operand of a vector op is an existing vector of its type'],
      ['vectorStaticExtract', 0.5, 'vector.extract has a static position (else a clamped dynamic one)'],
      ['reductionAcc', 0.4, 'vector.reduction has an accumulator'],
      ['vectorSelect', 0.3, 'elementwise vector arith is compare + select'],
      ['stridedExtractOnly', 0.5, 'a strided slice is only extracted (else also inserted back)'],
      ['toElements', 0.5, 'vector.to_elements (else from_elements)'],
      ['interleave', 0.3, 'a reshape is vector.interleave (else shape_cast to 2-D)'],
      ['transpose', 0.5, 'a 2-D shape_cast is transposed'],
      ['outerProductAcc', 0.5, 'vector.outerproduct has an accumulator'],
      ['transferTransposed', 0.25, 'a transfer on a buffer of rank > 1 runs along the first dimension'],
      ['transferInBounds', 0.3, 'a transfer is marked in_bounds (where it provably is)'],
      ['vectorAffineAccess', 0.4, 'vector.load/store is affine.vector_load/store'],
      ['constantMask', 0.5, 'a lane mask is vector.constant_mask (else create_mask)'],
      ['maskedStore', 0.4, 'a masked access is a store (else a load)'],
    ],
  },
} as const satisfies Record<string, GroupDef>;

export type WeightGroup = keyof typeof WEIGHT_GROUPS;
type Defs = typeof WEIGHT_GROUPS;
export type WeightName<G extends WeightGroup> = `${Defs[G]['entries'][number][0]}`;
/** A full set: every group, every name. JSON-serialisable, so a campaign can store the set it ran with. */
export type Weights = { readonly [G in WeightGroup]: { readonly [N in WeightName<G>]: number } };
/** Some names of some groups; the rest keep their defaults. */
export type WeightOverrides = { readonly [G in WeightGroup]?: { readonly [N in WeightName<G>]?: number } };

/** The weights with every override applied; unknown groups or names and invalid values are errors. */
export function resolveWeights(overrides: WeightOverrides = {}): Weights {
  if (typeof overrides !== 'object' || overrides === null) throw new Error('weights: overrides must be an object of groups');
  const out: Record<string, Record<string, number>> = {};
  for (const [g, def] of Object.entries(WEIGHT_GROUPS) as [string, GroupDef][]) out[g] = Object.fromEntries(def.entries.map(([n, w]) => [String(n), w]));
  for (const [g, names] of Object.entries(overrides as Record<string, Record<string, unknown>>)) {
    const group = out[g];
    if (!group) throw new Error(`weights: unknown group '${g}' (groups: ${Object.keys(WEIGHT_GROUPS).join(', ')})`);
    if (typeof names !== 'object' || names === null) throw new Error(`weights: group '${g}' must map names to numbers`);
    for (const [n, w] of Object.entries(names)) {
      if (!(n in group)) throw new Error(`weights: unknown name '${g}.${n}' (names: ${Object.keys(group).join(', ')})`);
      if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new Error(`weights: '${g}.${n}' must be a finite number >= 0, got ${String(w)}`);
      if (g === 'chance' && w > 1) throw new Error(`weights: 'chance.${n}' is a probability, at most 1, got ${w}`);
      group[n] = w;
    }
  }
  for (const [g, group] of Object.entries(out)) {
    if (g !== 'chance' && !Object.values(group).some((w) => w > 0)) throw new Error(`weights: every weight of group '${g}' is 0`);
  }
  // Rebuilt with fromEntries: the generator reads these objects all the time, and V8 keeps them in fast mode.
  return Object.freeze(Object.fromEntries(Object.entries(out).map(([g, group]) => [g, Object.freeze(Object.fromEntries(Object.entries(group)))]))) as unknown as Weights;
}

export const DEFAULT_WEIGHTS: Weights = resolveWeights();

/** Every group as [weight, name] pairs in definition order, ready for `Rand.weighted` (numeric groups draw the number). */
export type WeightTables = { readonly [G in WeightGroup]: readonly (readonly [number, Defs[G]['entries'][number][0]])[] };

const tables = new WeakMap<Weights, WeightTables>();

/** The tables of a weight set, built once per set (the generator draws from them all the time). */
export function weightTables(w: Weights): WeightTables {
  let t = tables.get(w);
  if (!t) {
    const groups = Object.entries(WEIGHT_GROUPS) as [WeightGroup, GroupDef][];
    t = Object.freeze(Object.fromEntries(groups.map(([g, def]) => [g, def.entries.map(([n]) => [(w[g] as Record<string, number>)[String(n)]!, n] as const)]))) as unknown as WeightTables;
    tables.set(w, t);
  }
  return t;
}
