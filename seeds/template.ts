// What a seed template is: a named operator kernel with a small parameter space (shapes, dtype, loop style), and
// how one is instantiated, by explicit parameters or by a seeded random pick.

export type ParamValue = number | string;
export type Params = Readonly<Record<string, ParamValue>>;
/** A parameter's allowed values, in order, and the one a default instance takes. */
export type ParamSpec = { readonly values: readonly ParamValue[]; readonly default: ParamValue };

export type SeedInstance = {
  /** The template name and every parameter, e.g. `conv2d_nchw{n=1,c=2,h=5,...,dtype=f32}`: unique per instance. */
  readonly name: string;
  /** Generic-form MLIR: one `func.func @main(memref...)` that ir/parser reads. */
  readonly text: string;
  readonly params: Params;
};

export type SeedTemplate = {
  readonly name: string;
  /** One line: the operator and its loop style. */
  readonly doc: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** Why a combination of values is refused (an empty output, a buffer over the size limit), or undefined. */
  readonly problem: (p: Params) => string | undefined;
  /** Throws on a value outside a parameter's domain or a refused combination; missing parameters take defaults. */
  readonly instantiate: (p?: Partial<Params>) => SeedInstance;
};

/** A source of choices: fast-check's or SplitMix64's, or anything with these two. */
export type SeedRandom = { int(min: number, max: number): number; pick<T>(xs: readonly T[]): T };

/** Most elements any buffer of a seed may hold: the reference interpreter stays fast. */
export const MAX_BUFFER_ELEMENTS = 4096;

/** Typed reads of an instance's parameters. */
export type ParamReader = { n(name: string): number; s(name: string): string };

export const choice = (values: readonly ParamValue[], def: ParamValue = values[0]!): ParamSpec => ({ values, default: def });
export const range = (lo: number, hi: number, def: number = lo): ParamSpec => choice(Array.from({ length: hi - lo + 1 }, (_, k) => lo + k), def);

export function defineTemplate(spec: {
  name: string;
  doc: string;
  params: Record<string, ParamSpec>;
  /** Buffer shapes of an instance, for the size limit; and any other refusal. */
  shapes: (p: ParamReader) => readonly (readonly number[])[];
  problem?: (p: ParamReader) => string | undefined;
  build: (p: ParamReader, name: string) => string;
}): SeedTemplate {
  const problem = (params: Params): string | undefined => {
    const r = reader(spec.name, params);
    for (const s of spec.shapes(r)) {
      if (s.some((d) => d < 1)) return `a buffer of shape [${s.join(', ')}] is empty`;
      if (s.reduce((a, b) => a * b, 1) > MAX_BUFFER_ELEMENTS) return `a buffer of shape [${s.join(', ')}] is over ${MAX_BUFFER_ELEMENTS} elements`;
    }
    return spec.problem?.(r);
  };
  return {
    name: spec.name,
    doc: spec.doc,
    params: spec.params,
    problem,
    instantiate(given = {}) {
      const params: Record<string, ParamValue> = {};
      for (const [k, ps] of Object.entries(spec.params)) {
        const v = given[k] ?? ps.default;
        if (!ps.values.includes(v)) throw new Error(`${spec.name}: ${k}=${v} is not one of ${ps.values.join(', ')}`);
        params[k] = v;
      }
      for (const k of Object.keys(given)) if (!(k in spec.params)) throw new Error(`${spec.name} has no parameter ${k}`);
      const why = problem(params);
      if (why) throw new Error(`${spec.name}: ${why}`);
      const name = `${spec.name}{${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(',')}}`;
      return { name, text: spec.build(reader(spec.name, params), name), params };
    },
  };
}

function reader(template: string, p: Params): ParamReader {
  return {
    n(k) {
      const v = p[k];
      if (typeof v !== 'number') throw new Error(`${template}: parameter ${k} is not a number`);
      return v;
    },
    s(k) {
      const v = p[k];
      if (v === undefined) throw new Error(`${template}: no parameter ${k}`);
      return String(v);
    },
  };
}

/** A random valid instance: each parameter picked from its domain, retried while the combination is refused. */
export function randomInstance(t: SeedTemplate, random: SeedRandom, tries = 64): SeedInstance {
  for (let k = 0; k < tries; k++) {
    const p: Record<string, ParamValue> = {};
    for (const [name, spec] of Object.entries(t.params)) p[name] = random.pick(spec.values);
    if (!t.problem(p)) return t.instantiate(p);
  }
  return t.instantiate();
}
