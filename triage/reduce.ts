// Delta debugging over a finding's program and pipeline together (DESIGN §10): every accepted step still reproduces
// the finding (the same bug; UB-free for a wrong result), which the caller's `Reproduces` decides. Each kind of edit
// runs as ddmin: first big chunks of its sites at once, then halves, quarters, … down to single sites. Candidates
// go to the compiler in batches, so one batch shares one compiler process per distinct pipeline.
import type { Operation } from '../ir/core.ts';
import { entryArgs } from '../ir/entry-abi.ts';
import { parseModule } from '../ir/parser/index.ts';
import { printOp } from '../ir/printer.ts';
import { verifyModule } from '../ir/verifier.ts';
import type { PassCatalog, PassStep, Pipeline } from '../contracts/pipeline.ts';
import type { Candidate, Reproduces } from './candidate.ts';
import type { EditKind } from './ir-edits.ts';
import { constantResults, deleteOps, dropArguments, halveConstants, hoistBodies, hoistElses, shrinkShapes } from './ir-edits.ts';

export type Size = { readonly ops: number; readonly lines: number; readonly passes: number };

export type Reduction = Candidate & {
  readonly before: Size;
  readonly after: Size;
  /** Candidates asked about, and those that reproduced (each accepted). */
  readonly tried: number;
  readonly accepted: number;
  /** The time limit ended the reduction before a round changed nothing. */
  readonly timedOut: boolean;
};

export type ReduceOptions = {
  readonly reproduces: Reproduces;
  readonly catalog: Pick<PassCatalog, 'lookup'>;
  /** When to stop, on `now`'s clock. */
  readonly deadline: number;
  readonly now?: () => number;
  /** Candidates per `reproduces` call. Default 8. */
  readonly batch?: number;
};

/** A way to make smaller variants: how many sites the current best has, and the variant without some of them. */
type Dimension = { readonly name: string; sites(best: Candidate): number; without(best: Candidate, drop: readonly number[]): Candidate | undefined };

export function sizeOf(c: Candidate): Size {
  return { ops: [...parseModule(c.program).walk()].length - 1, lines: c.program.trimEnd().split('\n').length, passes: c.pipeline.length };
}

export async function reduce(start: Candidate, opts: ReduceOptions): Promise<Reduction> {
  const r = new Reducer(start, opts);
  await r.run();
  return { ...r.best, before: sizeOf(start), after: sizeOf(r.best), tried: r.tried, accepted: r.accepted, timedOut: r.expired() };
}

class Reducer {
  best: Candidate;
  tried = 0;
  accepted = 0;
  private readonly now: () => number;
  private readonly dimensions: Dimension[];

  constructor(
    start: Candidate,
    private readonly opts: ReduceOptions,
  ) {
    this.best = start;
    this.now = opts.now ?? Date.now;
    // Cheap and far-reaching first: fewer passes make every later candidate faster to compile.
    this.dimensions = [dropPasses, resetOptions(opts.catalog), ...[deleteOps, hoistBodies, hoistElses, constantResults, halveConstants, shrinkShapes, dropArguments].map(irDimension)];
  }

  expired(): boolean {
    return this.now() >= this.opts.deadline;
  }

  /** Rounds over every dimension until one changes nothing or time is up. */
  async run(): Promise<void> {
    for (let changed = true; changed && !this.expired(); ) {
      changed = false;
      for (const d of this.dimensions) if (await this.ddmin(d)) changed = true;
    }
  }

  /** Zeller's ddmin over the dimension's sites, testing complements only (removing one chunk at a time). */
  private async ddmin(d: Dimension): Promise<boolean> {
    let any = false;
    for (let n = 2; !this.expired(); ) {
      const len = d.sites(this.best);
      if (len === 0) break;
      n = Math.min(n, len);
      const candidates: Candidate[] = [];
      for (let k = 0; k < n; k++) {
        const chunk = range(Math.floor((k * len) / n), Math.floor(((k + 1) * len) / n));
        const c = d.without(this.best, chunk);
        if (c && (c.program !== this.best.program || c.pipeline !== this.best.pipeline)) candidates.push(c);
      }
      const hit = await this.firstReproducing(candidates);
      if (hit) {
        this.best = hit;
        any = true;
        n = Math.max(n - 1, 2);
      } else if (n >= len) break;
      else n = Math.min(len, n * 2);
    }
    return any;
  }

  private async firstReproducing(candidates: readonly Candidate[]): Promise<Candidate | undefined> {
    const size = this.opts.batch ?? 8;
    for (let i = 0; i < candidates.length && !this.expired(); i += size) {
      const batch = candidates.slice(i, i + size);
      const ok = await this.opts.reproduces(batch);
      this.tried += batch.length;
      const k = ok.indexOf(true);
      if (k >= 0) {
        this.accepted++;
        return batch[k];
      }
    }
    return undefined;
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}

const dropPasses: Dimension = {
  name: 'drop passes',
  sites: (best) => best.pipeline.length,
  without: (best, drop) => ({ program: best.program, pipeline: best.pipeline.filter((_, k) => !drop.includes(k)) }),
};

/** Steps back to the options the catalog requires (a pass's defaults otherwise). */
function resetOptions(catalog: Pick<PassCatalog, 'lookup'>): Dimension {
  const reset = (s: PassStep): PassStep => {
    const required = catalog.lookup(s.pass)?.required;
    const { options: _dropped, ...rest } = s;
    return required ? { ...rest, options: required } : rest;
  };
  const optional = (p: Pipeline): number[] => p.flatMap((s, k) => (Object.keys(s.options ?? {}).length > Object.keys(reset(s).options ?? {}).length ? [k] : []));
  return {
    name: 'reset pass options',
    sites: (best) => optional(best.pipeline).length,
    without(best, drop) {
      const steps = new Set(drop.map((k) => optional(best.pipeline)[k]!));
      return { program: best.program, pipeline: best.pipeline.map((s, k) => (steps.has(k) ? reset(s) : s)) };
    },
  };
}

/** An IR edit as a dimension: the variant applies it at the dropped sites (innermost first) of a fresh parse. */
function irDimension(kind: EditKind): Dimension {
  return {
    name: kind.name,
    sites: (best) => kind.sites(parseModule(best.program)).length,
    without(best, drop) {
      const module = parseModule(best.program);
      const sites = kind.sites(module);
      let edited = false;
      // Later sites first: they are nested in or follow earlier ones, so an edit never meets an op already gone.
      for (const k of [...drop].sort((a, b) => b - a)) if (kind.apply(sites[k]!)) edited = true;
      return edited && isProgram(module) ? { program: printOp(module), pipeline: best.pipeline } : undefined;
    },
  };
}

/** Verifies, and keeps the entry and its buffers: the test ABI (DESIGN §3) is what the harness calls. */
function isProgram(module: Operation): boolean {
  if (verifyModule(module).length > 0) return false;
  try {
    entryArgs(module);
    return true;
  } catch {
    return false;
  }
}
