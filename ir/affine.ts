// Affine expressions, maps and integer sets: construction, printing in MLIR syntax, and exact evaluation.

export type AffineExpr =
  | { readonly k: 'dim'; readonly i: number }
  | { readonly k: 'sym'; readonly i: number }
  | { readonly k: 'const'; readonly v: bigint }
  | { readonly k: 'add' | 'mul' | 'mod' | 'floordiv' | 'ceildiv'; readonly l: AffineExpr; readonly r: AffineExpr };

export type AffineMap = { readonly dims: number; readonly syms: number; readonly results: readonly AffineExpr[] };
/** Each constraint is `expr >= 0`, or `expr == 0` when eq is set. */
export type IntegerSet = {
  readonly dims: number;
  readonly syms: number;
  readonly constraints: readonly { readonly expr: AffineExpr; readonly eq: boolean }[];
};

export const dim = (i: number): AffineExpr => ({ k: 'dim', i });
export const sym = (i: number): AffineExpr => ({ k: 'sym', i });
export const cst = (v: number | bigint): AffineExpr => ({ k: 'const', v: BigInt(v) });
export const add = (l: AffineExpr, r: AffineExpr): AffineExpr => ({ k: 'add', l, r });
export const mul = (l: AffineExpr, r: AffineExpr): AffineExpr => ({ k: 'mul', l, r });
export const mod = (l: AffineExpr, r: AffineExpr): AffineExpr => ({ k: 'mod', l, r });
export const floordiv = (l: AffineExpr, r: AffineExpr): AffineExpr => ({ k: 'floordiv', l, r });
export const ceildiv = (l: AffineExpr, r: AffineExpr): AffineExpr => ({ k: 'ceildiv', l, r });

export function affineMap(dims: number, syms: number, results: readonly AffineExpr[]): AffineMap {
  return { dims, syms, results: [...results] };
}

const isNegConst = (e: AffineExpr): e is { k: 'const'; v: bigint } => e.k === 'const' && e.v < 0n;

// Precedence: add (lowest) < mul/div/mod (multiplicative) < atoms.
function prec(e: AffineExpr): number {
  return e.k === 'add' ? 1 : e.k === 'dim' || e.k === 'sym' || e.k === 'const' ? 3 : 2;
}

export function printAffineExpr(e: AffineExpr): string {
  switch (e.k) {
    case 'dim':
      return `d${e.i}`;
    case 'sym':
      return `s${e.i}`;
    case 'const':
      return e.v.toString();
    case 'add': {
      const l = printAffineExpr(e.l);
      // `a + b * -1` reads better as `a - b`; MLIR parses both to the same expression.
      if (e.r.k === 'mul' && isNegConst(e.r.r) && e.r.r.v === -1n) return `${l} - ${wrap(e.r.l, 2)}`;
      if (isNegConst(e.r)) return `${l} - ${(-e.r.v).toString()}`;
      return `${l} + ${wrap(e.r, 2)}`;
    }
    default: {
      const op = e.k === 'mul' ? '*' : ` ${e.k} `;
      const sep = e.k === 'mul' ? ' * ' : op;
      // Left-associative: the left operand may be multiplicative without parens, the right may not.
      return `${wrap(e.l, 2)}${sep}${wrap(e.r, 3)}`;
    }
  }
}

function wrap(e: AffineExpr, min: number): string {
  const s = printAffineExpr(e);
  return prec(e) < min ? `(${s})` : s;
}

function printDimsSyms(dims: number, syms: number): string {
  const d = `(${Array.from({ length: dims }, (_, k) => `d${k}`).join(', ')})`;
  return syms > 0 ? `${d}[${Array.from({ length: syms }, (_, k) => `s${k}`).join(', ')}]` : d;
}

export function printAffineMap(m: AffineMap): string {
  return `affine_map<${printDimsSyms(m.dims, m.syms)} -> (${m.results.map(printAffineExpr).join(', ')})>`;
}

export function printIntegerSet(s: IntegerSet): string {
  const cs = s.constraints.map((c) => `${printAffineExpr(c.expr)} ${c.eq ? '==' : '>='} 0`).join(', ');
  return `affine_set<${printDimsSyms(s.dims, s.syms)} : (${cs})>`;
}

/** Floor division and modulo as affine defines them (mod result is never negative). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}
export function ceilDiv(a: bigint, b: bigint): bigint {
  return -floorDiv(-a, b);
}
export function floorMod(a: bigint, b: bigint): bigint {
  const r = a % b;
  return r !== 0n && (r < 0n) !== (b < 0n) ? r + b : r;
}

/** Evaluates with exact integers. Division by a non-positive value throws: MLIR forbids it in valid maps. */
export function evalAffineExpr(e: AffineExpr, dims: readonly bigint[], syms: readonly bigint[]): bigint {
  switch (e.k) {
    case 'dim':
      return dims[e.i]!;
    case 'sym':
      return syms[e.i]!;
    case 'const':
      return e.v;
    case 'add':
      return evalAffineExpr(e.l, dims, syms) + evalAffineExpr(e.r, dims, syms);
    case 'mul':
      return evalAffineExpr(e.l, dims, syms) * evalAffineExpr(e.r, dims, syms);
  }
  const l = evalAffineExpr(e.l, dims, syms);
  const r = evalAffineExpr(e.r, dims, syms);
  if (r <= 0n) throw new RangeError(`affine ${e.k} by non-positive value ${r}`);
  return e.k === 'mod' ? floorMod(l, r) : e.k === 'floordiv' ? floorDiv(l, r) : ceilDiv(l, r);
}

/** Largest dim/symbol position used, for arity checks. */
export function maxPositions(e: AffineExpr, acc = { dim: -1, sym: -1 }): { dim: number; sym: number } {
  if (e.k === 'dim') acc.dim = Math.max(acc.dim, e.i);
  else if (e.k === 'sym') acc.sym = Math.max(acc.sym, e.i);
  else if (e.k !== 'const') {
    maxPositions(e.l, acc);
    maxPositions(e.r, acc);
  }
  return acc;
}

/** MLIR requires the right operand of mul to be symbolic-or-constant on one side, and of div/mod to be symbolic. */
export function isPureAffine(e: AffineExpr): boolean {
  switch (e.k) {
    case 'dim':
    case 'sym':
    case 'const':
      return true;
    case 'add':
      return isPureAffine(e.l) && isPureAffine(e.r);
    case 'mul':
      return isPureAffine(e.l) && isPureAffine(e.r) && (isSymbolic(e.l) || isSymbolic(e.r));
    default:
      return isPureAffine(e.l) && isSymbolic(e.r);
  }
}

function isSymbolic(e: AffineExpr): boolean {
  return e.k === 'sym' || e.k === 'const' || (e.k !== 'dim' && isSymbolic(e.l) && isSymbolic(e.r));
}
