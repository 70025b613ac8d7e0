// Affine maps and integer sets: `affine_map<(d0, d1)[s0] -> (d0 + s0 floordiv 2)>`, `affine_set<(d0) : (d0 - 1 >= 0)>`.
import type { AffineExpr, AffineMap, IntegerSet } from '../affine.ts';
import { add, affineMap, ceildiv, cst, dim, floordiv, mod, mul, sym } from '../affine.ts';
import { Tok } from './lexer.ts';
import type { ParseState } from './state.ts';

/** Dimension and symbol names of one map or set: MLIR lets them be any identifier, not just d0/s0. */
type Ids = { dims: number; syms: number; names: Map<string, AffineExpr> };

/** Parses `<...>` after `affine_map`; the current token is the `<`. */
export function parseAffineMapBody(p: ParseState): AffineMap {
  p.expect(Tok.Less, "after 'affine_map'");
  const ids = parseIds(p);
  p.expect(Tok.Arrow, 'in affine map');
  p.expect(Tok.LParen, 'before affine map results');
  const results: AffineExpr[] = [];
  if (!p.eat(Tok.RParen)) {
    for (;;) {
      results.push(parseExpr(p, ids));
      if (p.eat(Tok.RParen)) break;
      p.expect(Tok.Comma, "or ')' in affine map results");
    }
  }
  p.expect(Tok.Greater, 'to close the affine map');
  return affineMap(ids.dims, ids.syms, results);
}

/** Parses `<...>` after `affine_set`; the current token is the `<`. */
export function parseIntegerSetBody(p: ParseState): IntegerSet {
  p.expect(Tok.Less, "after 'affine_set'");
  const ids = parseIds(p);
  p.expect(Tok.Colon, 'in integer set');
  p.expect(Tok.LParen, 'before integer set constraints');
  const constraints: { expr: AffineExpr; eq: boolean }[] = [];
  if (!p.eat(Tok.RParen)) {
    for (;;) {
      constraints.push(parseConstraint(p, ids));
      if (p.eat(Tok.RParen)) break;
      p.expect(Tok.Comma, "or ')' in integer set constraints");
    }
  }
  p.expect(Tok.Greater, 'to close the integer set');
  return { dims: ids.dims, syms: ids.syms, constraints };
}

function parseIds(p: ParseState): Ids {
  const ids: Ids = { dims: 0, syms: 0, names: new Map() };
  const list = (close: Tok, isSym: boolean): void => {
    p.lex.next();
    if (p.eat(close)) return;
    for (;;) {
      const l = p.lex;
      if (l.kind !== Tok.BareId) p.failExpected('an identifier', isSym ? 'in affine symbol list' : 'in affine dimension list');
      const name = l.text();
      if (ids.names.has(name)) p.fail(`redefinition of affine identifier '${name}'`);
      ids.names.set(name, isSym ? sym(ids.syms++) : dim(ids.dims++));
      l.next();
      if (p.eat(close)) return;
      p.expect(Tok.Comma, isSym ? "or ']' in affine symbol list" : "or ')' in affine dimension list");
    }
  };
  if (p.lex.kind !== Tok.LParen) p.failExpected("'('", 'to start the affine dimension list');
  list(Tok.RParen, false);
  if (p.lex.is(Tok.LSquare)) list(Tok.RSquare, true);
  return ids;
}

/** `lhs >= rhs`, `lhs <= rhs` or `lhs == rhs`, normalised to `e >= 0` / `e == 0` as MLIR does. */
function parseConstraint(p: ParseState, ids: Ids): { expr: AffineExpr; eq: boolean } {
  const lhs = parseExpr(p, ids);
  const l = p.lex;
  const first = l.kind;
  const at = l.start;
  if ((first !== Tok.Greater && first !== Tok.Less && first !== Tok.Equal) || l.src.charCodeAt(at + 1) !== 61 /* = */) {
    p.failExpected("'>=', '<=' or '=='", 'in integer set constraint');
  }
  l.next();
  l.next();
  const rhs = parseExpr(p, ids);
  const isZero = rhs.k === 'const' && rhs.v === 0n;
  if (first === Tok.Less) return { expr: isZero ? negate(lhs) : subtract(rhs, lhs), eq: false };
  return { expr: isZero ? lhs : subtract(lhs, rhs), eq: first === Tok.Equal };
}

function negate(e: AffineExpr): AffineExpr {
  return e.k === 'const' ? cst(-e.v) : mul(e, cst(-1));
}

/**
 * `a - b` is `a + b * -1` in MLIR. A positive constant folds to `a + -c`, which the printer shows as `a - c`;
 * other constants stay as `c * -1` so that `a - 0` and `a - -3` print back exactly as written.
 */
function subtract(a: AffineExpr, b: AffineExpr): AffineExpr {
  return add(a, b.k === 'const' && b.v > 0n ? cst(-b.v) : mul(b, cst(-1)));
}

/** Additive level: `+` and `-`, left-associative, lowest precedence. */
function parseExpr(p: ParseState, ids: Ids): AffineExpr {
  const l = p.lex;
  let e = parseMultiplicative(p, ids);
  for (;;) {
    if (l.kind === Tok.Plus) {
      l.next();
      e = add(e, parseMultiplicative(p, ids));
    } else if (l.kind === Tok.Minus) {
      l.next();
      e = subtract(e, parseMultiplicative(p, ids));
    } else return e;
  }
}

/** Multiplicative level: `*`, `floordiv`, `ceildiv`, `mod`, left-associative; MLIR's affinity rules enforced. */
function parseMultiplicative(p: ParseState, ids: Ids): AffineExpr {
  const l = p.lex;
  let e = parseUnary(p, ids);
  for (;;) {
    const at = l.start;
    let make: (a: AffineExpr, b: AffineExpr) => AffineExpr;
    if (l.kind === Tok.Star) make = mul;
    else if (l.isKw('floordiv')) make = floordiv;
    else if (l.isKw('ceildiv')) make = ceildiv;
    else if (l.isKw('mod')) make = mod;
    else return e;
    l.next();
    const r = parseUnary(p, ids);
    if (make === mul ? !isSymbolic(e) && !isSymbolic(r) : !isSymbolic(r)) {
      p.fail(
        make === mul
          ? 'non-affine expression: at least one of the multiply operands has to be either a constant or symbolic'
          : 'non-affine expression: right operand of floordiv, ceildiv and mod has to be either a constant or symbolic',
        at,
      );
    }
    e = make(e, r);
  }
}

/** Built from symbols and constants only. */
function isSymbolic(e: AffineExpr): boolean {
  return e.k === 'sym' || e.k === 'const' || (e.k !== 'dim' && isSymbolic(e.l) && isSymbolic(e.r));
}

/** Unary minus binds tighter than `*`: `-d0 * 2` is `(d0 * -1) * 2`, as in MLIR. */
function parseUnary(p: ParseState, ids: Ids): AffineExpr {
  const l = p.lex;
  if (l.kind === Tok.Minus) {
    l.next();
    return negate(parseUnary(p, ids));
  }
  switch (l.kind) {
    case Tok.LParen: {
      l.next();
      const e = parseExpr(p, ids);
      p.expect(Tok.RParen, 'to close a parenthesised affine expression');
      return e;
    }
    case Tok.Int: {
      const v = BigInt(l.text());
      if (v >= 1n << 63n) p.fail('affine constant too large for index');
      l.next();
      return cst(v);
    }
    case Tok.BareId: {
      const e = ids.names.get(l.text());
      if (!e) p.fail(`use of undeclared affine identifier '${l.text()}'`);
      l.next();
      return e;
    }
    default:
      return p.failExpected('an affine expression', 'here');
  }
}
