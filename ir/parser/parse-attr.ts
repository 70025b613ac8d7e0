// Builtin attributes: numbers, strings, unit, types, arrays, dense arrays, dicts, dense elements, affine maps and
// sets, symbol references, strided layouts, and dialect attributes kept as text.
import type { Attr, DenseAttr } from '../attributes.ts';
import {
  arrayAttr, boolAttr, denseArray, denseAttr, dialectAttr, dictAttr, floatAttr, floatAttrBits, intAttr, mapAttr, setAttr,
  strAttr, strided, symbolRef, typeAttr, unit,
} from '../attributes.ts';
import { floatBits, floatWidth } from '../../numeric/float.ts';
import type { FloatType, TensorType, Type, VectorType } from '../types.ts';
import { DYNAMIC, f64, i64, numElements, printType } from '../types.ts';
import { flatCopy, intern } from './intern.ts';
import { Tok } from './lexer.ts';
import { parseAffineMapBody, parseIntegerSetBody } from './parse-affine.ts';
import { parseType } from './parse-type.ts';
import type { ParseState } from './state.ts';

export function parseAttr(p: ParseState): Attr {
  const l = p.lex;
  switch (l.kind) {
    case Tok.Int:
    case Tok.Float:
    case Tok.Minus:
      return parseNumberAttr(p);
    case Tok.String: {
      const v = l.stringValue();
      l.next();
      return strAttr(v);
    }
    case Tok.LSquare: {
      l.next();
      const elems: Attr[] = [];
      if (p.eat(Tok.RSquare)) return arrayAttr(elems);
      for (;;) {
        elems.push(parseAttr(p));
        if (p.eat(Tok.RSquare)) return arrayAttr(elems);
        p.expect(Tok.Comma, "or ']' in array attribute");
      }
    }
    case Tok.LBrace:
      return dictAttr(parseDict(p));
    case Tok.AtId:
      return parseSymbolRef(p);
    case Tok.HashId:
      return parseHashAttr(p);
    case Tok.LParen:
    case Tok.BangId:
      return typeAttr(parseType(p));
    case Tok.BareId:
      return parseKeywordAttr(p);
    default:
      return p.failExpected('an attribute', 'here');
  }
}

function parseKeywordAttr(p: ParseState): Attr {
  const l = p.lex;
  if (l.isKw('true') || l.isKw('false')) {
    const b = l.isKw('true');
    l.next();
    return boolAttr(b);
  }
  if (l.isKw('unit')) {
    l.next();
    return unit;
  }
  if (l.isKw('dense')) return parseDense(p);
  if (l.isKw('array')) return parseDenseArray(p);
  if (l.isKw('affine_map')) {
    l.next();
    return mapAttr(parseAffineMapBody(p));
  }
  if (l.isKw('affine_set')) {
    l.next();
    return setAttr(parseIntegerSetBody(p));
  }
  if (l.isKw('strided')) return parseStrided(p);
  if (l.isKw('dense_resource') || l.isKw('sparse') || l.isKw('distinct') || l.isKw('loc')) {
    p.fail(`unsupported attribute '${l.text()}'`);
  }
  return typeAttr(parseType(p));
}

/** `{a = 1 : i32, b, "quoted key" = ...}`; the current token is the `{`. A bare key is a unit attribute. */
export function parseDict(p: ParseState): Record<string, Attr> {
  const l = p.lex;
  const entries: Record<string, Attr> = {};
  l.next();
  if (p.eat(Tok.RBrace)) return entries;
  for (;;) {
    const at = l.start;
    let key: string;
    if (l.kind === Tok.BareId) key = intern(l.src, l.start, l.end);
    else if (l.kind === Tok.String) key = l.stringValue();
    else return p.failExpected('an attribute name', 'in attribute dictionary');
    if (key === '__proto__') p.fail("attribute name '__proto__' is not supported", at);
    if (Object.hasOwn(entries, key)) p.fail(`duplicate key '${key}' in dictionary attribute`, at);
    l.next();
    entries[key] = p.eat(Tok.Equal) ? parseAttr(p) : unit;
    if (p.eat(Tok.RBrace)) return entries;
    p.expect(Tok.Comma, "or '}' in attribute dictionary");
  }
}

function parseSymbolRef(p: ParseState): Attr {
  const l = p.lex;
  const path: string[] = [];
  for (;;) {
    if (l.kind !== Tok.AtId) p.failExpected('a symbol', "after '::'");
    path.push(l.src.charCodeAt(l.start + 1) === 34 ? l.stringValue(l.start + 1, l.end - 1) : flatCopy(l.src.slice(l.start + 1, l.end)));
    l.next();
    if (!p.eat(Tok.ColonColon)) return symbolRef(...path);
  }
}

function parseHashAttr(p: ParseState): Attr {
  const l = p.lex;
  const src = l.src;
  const name = src.slice(l.start + 1, l.end);
  let dot = name.indexOf('.');
  // `#index<cmp_predicate slt>`: a dialect attribute without a mnemonic (aliases are never followed by `<`).
  const bare = dot < 0 && src.charCodeAt(l.end) === 60 && !p.attrAliases.has(name);
  if (bare) dot = name.length;
  if (dot < 0) {
    const a = p.attrAliases.get(name);
    if (a === undefined) p.fail(`undefined attribute alias '#${name}'`);
    if (a === null) p.fail(`location alias '#${name}' used as an attribute`);
    l.next();
    return a;
  }
  if (src.charCodeAt(l.end) !== 60 /* < */) p.fail(`dialect attribute '#${name}' without a '<...>' body is not supported`);
  // The body is opaque to the builtin parser: find its closing `>`, treating `->` as an arrow as MLIR does.
  const open = l.end;
  let depth = 0;
  let q = open;
  for (; q < src.length; q++) {
    const c = src.charCodeAt(q);
    if (c === 60 || c === 40 || c === 91 || c === 123) depth++;
    else if (c === 62 || c === 41 || c === 93 || c === 125) {
      if (--depth === 0) break;
    } else if (c === 45 && src.charCodeAt(q + 1) === 62) q++;
    else if (c === 34) {
      for (q++; q < src.length && src.charCodeAt(q) !== 34; q++) if (src.charCodeAt(q) === 92) q++;
    }
  }
  if (q >= src.length) p.fail(`unterminated body of dialect attribute '#${name}'`);
  const a = dialectAttr(intern(name, 0, dot), bare ? '' : intern(name, dot + 1, name.length), flatCopy(src.slice(open + 1, q)));
  l.advanceTo(q + 1);
  return a;
}

/** A range check that accepts both the signed and the unsigned reading of `w` bits, as MLIR does. */
function checkIntRange(p: ParseState, v: bigint, w: number, at: number): bigint {
  if (v >= 1n << BigInt(w) || v < -(1n << BigInt(w - 1))) p.fail(`integer literal ${v} does not fit in ${w} bits`, at);
  return BigInt.asIntN(w, v);
}

const intWidth = (t: Type): number => (t.kind === 'int' ? t.width : 64);

function parseNumberAttr(p: ParseState): Attr {
  const l = p.lex;
  const at = l.start;
  const neg = p.eat(Tok.Minus);
  if (l.kind !== Tok.Int && l.kind !== Tok.Float) return p.failExpected('a number', "after '-'");
  const isFloat = l.kind === Tok.Float;
  const hex = l.hex;
  const text = l.text();
  l.next();
  let type: Type | undefined;
  if (p.eat(Tok.Colon)) type = parseType(p);
  if (type === undefined) type = isFloat ? f64 : i64;
  if (type.kind === 'float') {
    if (hex) {
      if (neg) p.fail('a hexadecimal float literal cannot be negated', at);
      return floatAttrBits(checkHexBits(p, BigInt(text), floatWidth(type.name), at), type);
    }
    if (!isFloat) p.fail('unexpected decimal integer literal for a floating point value (add a trailing dot)', at);
    const v = Number(text);
    return floatAttr(neg ? -v : v, type);
  }
  if (type.kind !== 'int' && type.kind !== 'index') p.fail(`a number cannot have type '${printType(type)}'`, at);
  if (isFloat) p.fail(`floating point literal ${text} cannot have integer type '${printType(type)}'`, at);
  const v = BigInt(text);
  return intAttr(checkIntRange(p, neg ? -v : v, intWidth(type), at), type);
}

function checkHexBits(p: ParseState, bits: bigint, width: number, at: number): bigint {
  if (bits >> BigInt(width) !== 0n) p.fail(`hexadecimal float literal does not fit in ${width} bits`, at);
  return bits;
}

function parseDenseArray(p: ParseState): Attr {
  const l = p.lex;
  l.next();
  p.expect(Tok.Less, "after 'array'");
  const elem = parseType(p);
  // MLIR 22 rejects other integer widths and crashes on `array<index>`, so neither may reach mlir-opt from us.
  if (elem.kind !== 'int' || (elem.width !== 1 && elem.width % 8 !== 0)) p.fail(`dense arrays of '${printType(elem)}' are not supported`);
  const values: bigint[] = [];
  if (p.eat(Tok.Colon)) {
    for (;;) {
      const at = l.start;
      if (l.isKw('true') || l.isKw('false')) {
        values.push(checkIntRange(p, l.isKw('true') ? 1n : 0n, intWidth(elem), at));
        l.next();
      } else {
        const neg = p.eat(Tok.Minus);
        if (l.kind !== Tok.Int) p.failExpected('an integer', 'in dense array');
        const v = BigInt(l.text());
        values.push(checkIntRange(p, neg ? -v : v, intWidth(elem), at));
        l.next();
      }
      if (!p.eat(Tok.Comma)) break;
    }
  }
  p.expect(Tok.Greater, 'to close the dense array');
  return denseArray(elem, values);
}

function parseStrided(p: ParseState): Attr {
  const l = p.lex;
  l.next();
  p.expect(Tok.Less, "after 'strided'");
  p.expect(Tok.LSquare, 'to start the strides');
  const strides: number[] = [];
  const dimOrDyn = (): number => {
    if (p.eat(Tok.Question)) return DYNAMIC;
    const neg = p.eat(Tok.Minus);
    if (l.kind !== Tok.Int) p.failExpected("an integer or '?'", 'in strided layout');
    const v = Number(l.text());
    l.next();
    return neg ? -v : v;
  };
  if (!p.eat(Tok.RSquare)) {
    for (;;) {
      strides.push(dimOrDyn());
      if (p.eat(Tok.RSquare)) break;
      p.expect(Tok.Comma, "or ']' in strides");
    }
  }
  let offset = 0;
  if (p.eat(Tok.Comma)) {
    if (!l.isKw('offset')) p.failExpected("'offset'", 'in strided layout');
    l.next();
    p.expect(Tok.Colon, "after 'offset'");
    offset = dimOrDyn();
  }
  p.expect(Tok.Greater, 'to close the strided layout');
  return strided(strides, offset);
}

// Dense literals are read before their type, so each element is kept as (kind, start, end) until the type is known.
const L_INT = 0, L_HEX = 1, L_FLOAT = 2, L_TRUE = 3, L_FALSE = 4, L_NEG = 8;

function parseDense(p: ParseState): Attr {
  const l = p.lex;
  const at = l.start;
  l.next();
  p.expect(Tok.Less, "after 'dense'");
  const lits: number[] = [];
  let shape: number[] | undefined; // undefined: a scalar splat or an empty `dense<>`
  let hexAt = -1;
  let hexText = '';
  if (l.kind === Tok.String) {
    hexAt = l.start;
    hexText = l.stringValue();
    l.next();
  } else if (l.kind === Tok.LSquare) {
    shape = [];
    let leafDepth = -1;
    const list = (depth: number): void => {
      const listAt = l.start;
      l.next();
      let count = 0;
      if (l.kind !== Tok.RSquare) {
        for (;;) {
          if (l.kind === Tok.LSquare) {
            if (leafDepth === depth + 1) p.fail('dense literal mixes nested lists and elements');
            list(depth + 1);
          } else {
            if (leafDepth < 0) leafDepth = depth + 1;
            else if (leafDepth !== depth + 1) p.fail('dense literal mixes nested lists and elements');
            readLit(p, lits);
          }
          count++;
          if (l.is(Tok.RSquare)) break;
          p.expect(Tok.Comma, "or ']' in dense literal");
        }
      }
      l.next();
      if (shape![depth] === undefined) shape![depth] = count;
      else if (shape![depth] !== count) p.fail(`dense literal has a ragged shape (${count} vs ${shape![depth]} elements)`, listAt);
    };
    list(0);
  } else if (l.kind !== Tok.Greater) {
    readLit(p, lits);
  }
  p.expect(Tok.Greater, 'to close the dense literal');
  p.expect(Tok.Colon, 'before the type of the dense literal');
  const typeAt = l.start;
  const type = parseType(p);
  if (type.kind !== 'tensor' && type.kind !== 'vector') p.fail(`dense literal needs a tensor or vector type, not '${printType(type)}'`, typeAt);
  if (type.shape.includes(DYNAMIC)) p.fail('dense literal needs a static shape', typeAt);
  const elem = type.elem;
  if (elem.kind !== 'int' && elem.kind !== 'index' && elem.kind !== 'float') p.fail(`unsupported dense element type '${printType(elem)}'`, typeAt);
  const n = numElements(type.shape);
  if (hexAt >= 0) return denseFromHex(p, type, hexText, hexAt);
  if (shape) {
    if (shape.length !== type.shape.length || shape.some((d, k) => d !== type.shape[k])) {
      p.fail(`dense literal of shape [${shape.join(', ')}] does not match type '${printType(type)}'`, at);
    }
  } else if (lits.length === 0 && n !== 0) p.fail(`empty dense literal for type '${printType(type)}' with ${n} elements`, at);
  const values: bigint[] = [];
  for (let k = 0; k < lits.length; k += 3) values.push(litValue(p, elem, lits[k]!, lits[k + 1]!, lits[k + 2]!));
  return denseAttr(type as TensorType | VectorType, values);
}

function readLit(p: ParseState, lits: number[]): void {
  const l = p.lex;
  const start = l.start;
  const neg = p.eat(Tok.Minus) ? L_NEG : 0;
  let kind: number;
  if (l.kind === Tok.Int) kind = l.hex ? L_HEX : L_INT;
  else if (l.kind === Tok.Float) kind = L_FLOAT;
  else if (l.isKw('true')) kind = L_TRUE;
  else if (l.isKw('false')) kind = L_FALSE;
  else return p.failExpected('a number', 'in dense literal');
  if (neg && kind >= L_TRUE) p.fail('cannot negate a boolean', start);
  lits.push(kind | neg, l.start, l.end);
  l.next();
}

function litValue(p: ParseState, elem: Type, kind: number, start: number, end: number): bigint {
  const neg = (kind & L_NEG) !== 0;
  const k = kind & ~L_NEG;
  const text = p.lex.src.slice(start, end);
  if (elem.kind === 'float') {
    if (k === L_HEX) {
      if (neg) p.fail('a hexadecimal float literal cannot be negated', start);
      return checkHexBits(p, BigInt(text), floatWidth(elem.name), start);
    }
    if (k >= L_TRUE) p.fail(`boolean in a dense literal of '${printType(elem)}'`, start);
    if (k === L_INT) p.fail('unexpected decimal integer literal for a floating point value (add a trailing dot)', start);
    const v = Number(text);
    return floatBits(elem.name, neg ? -v : v);
  }
  const w = intWidth(elem);
  if (k === L_FLOAT) p.fail(`floating point literal ${text} in a dense literal of '${printType(elem)}'`, start);
  if (k >= L_TRUE) {
    if (w !== 1) p.fail(`boolean in a dense literal of '${printType(elem)}'`, start);
    return k === L_TRUE ? -1n : 0n;
  }
  const v = BigInt(text);
  return checkIntRange(p, neg ? -v : v, w, start);
}

/** `dense<"0x...">`: little-endian element bytes (i1 bit-packed), or one element's bytes for a splat. */
function denseFromHex(p: ParseState, type: TensorType | VectorType, hexText: string, at: number): DenseAttr {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(hexText)) p.fail('expected a hex string of whole bytes in dense literal', at);
  const bytes = Buffer.from(hexText.slice(2), 'hex');
  const elem = type.elem;
  const n = numElements(type.shape);
  const width = elem.kind === 'float' ? floatWidth((elem as FloatType).name) : intWidth(elem);
  const values: bigint[] = [];
  if (width === 1) {
    if (bytes.length === 1 && n > 8) values.push(bytes[0] ? -1n : 0n);
    else if (bytes.length === Math.ceil(n / 8)) for (let k = 0; k < n; k++) values.push((bytes[k >> 3]! >> (k & 7)) & 1 ? -1n : 0n);
    else p.fail(`hex dense literal has ${bytes.length} bytes, expected ${Math.ceil(n / 8)}`, at);
    return denseAttr(type, values);
  }
  const size = Math.ceil(width / 8);
  const count = bytes.length === size ? 1 : n;
  if (bytes.length !== size * n && bytes.length !== size) p.fail(`hex dense literal has ${bytes.length} bytes, expected ${size * n}`, at);
  for (let k = 0; k < count; k++) {
    let v = 0n;
    for (let b = size - 1; b >= 0; b--) v = (v << 8n) | BigInt(bytes[k * size + b]!);
    v = BigInt.asUintN(width, v);
    values.push(elem.kind === 'float' ? v : BigInt.asIntN(width, v));
  }
  return denseAttr(type, values);
}
