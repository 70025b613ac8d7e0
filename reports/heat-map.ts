// Pass × op heat maps: how many cases put each pass of their pipeline on each op of their program. Over the live
// pools it shows which pairs the campaigns exercise (and which they never reach); over the findings' reproducers,
// where the bugs cluster.
import { PipelineError, type PassCatalog } from '../contracts/pipeline.ts';
import { opNames } from './op-names.ts';

export type HeatMap = {
  /** Rows, the passes in most cases first; at most the limit. */
  readonly passes: readonly string[];
  /** Columns, the ops in most cases first; at most the limit. */
  readonly ops: readonly string[];
  /** `counts[row][column]`: cases whose pipeline runs `passes[row]` and whose program holds `ops[column]`. */
  readonly counts: readonly (readonly number[])[];
  /** Cases counted. */
  readonly cases: number;
  /** Distinct passes and ops before the cut to the limit. */
  readonly allPasses: number;
  readonly allOps: number;
};

export type HeatCase = { readonly program: string; readonly pipeline: string };

/** Rows and columns beyond this are cut: a 30 × 30 map is about as much as a reader can take in. */
export const HEAT_MAP_LIMIT = 30;

export function heatMap(cases: Iterable<HeatCase>, catalog: PassCatalog, limit = HEAT_MAP_LIMIT): HeatMap {
  const passTotals = new Map<string, number>();
  const opTotals = new Map<string, number>();
  const pairs = new Map<string, number>();
  let n = 0;
  for (const c of cases) {
    n++;
    const passes = passNames(c.pipeline, catalog);
    const ops = opNames(c.program);
    for (const p of passes) bump(passTotals, p);
    for (const o of ops) bump(opTotals, o);
    for (const p of passes) for (const o of ops) bump(pairs, pairKey(p, o));
  }
  const passes = top(passTotals, limit);
  const ops = top(opTotals, limit);
  const counts = passes.map((p) => ops.map((o) => pairs.get(pairKey(p, o)) ?? 0));
  return { passes, ops, counts, cases: n, allPasses: passTotals.size, allOps: opTotals.size };
}

/** The distinct passes of a pipeline in the target's spelling; none when the catalog cannot read it. */
export function passNames(pipeline: string, catalog: PassCatalog): Set<string> {
  try {
    return new Set(catalog.parse(pipeline).map((s) => s.pass));
  } catch (e) {
    // A pipeline stored by another target's spelling: it has no passes this map can name.
    if (e instanceof PipelineError) return new Set();
    throw e;
  }
}

const pairKey = (pass: string, op: string): string => `${pass}\u0000${op}`;
const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);

/** The `limit` keys with the highest counts, ties by name so the map is the same on every run. */
function top(totals: ReadonlyMap<string, number>, limit: number): string[] {
  return [...totals].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)).slice(0, limit).map(([k]) => k);
}
