// Builtin types: integers, index, floats, none, memref (ranked and unranked), vector, tensor, function types.
import type { Attr } from '../attributes.ts';
import type { Type } from '../types.ts';
import { DYNAMIC, bf16, f16, f32, f64, fn, i, index, signedInt, memref, none, tensor, umemref, vector } from '../types.ts';
import { TextTable, hashRange } from './intern.ts';
import { Tok, isDigit, isIdChar } from './lexer.ts';
import { parseAttr } from './parse-attr.ts';
import type { ParseState } from './state.ts';

/**
 * Alias-free types by their source text, shared by every parse: the fuzzer parses thousands of modules that
 * repeat the same few signatures, and shared type objects also make `typeEq` an identity check.
 */
const globalTypes = new TextTable<Type>(50_000);

export function parseType(p: ParseState): Type {
  const l = p.lex;
  switch (l.kind) {
    case Tok.BareId:
      return parseKeywordType(p);
    case Tok.LParen:
      return cached(p, parseFunctionType);
    case Tok.BangId: {
      const name = l.src.slice(l.start + 1, l.end);
      if (name.includes('.')) p.fail(`unsupported dialect type '!${name}'`);
      const t = p.typeAliases.get(name);
      if (!t) p.fail(`undefined type alias '!${name}'`);
      l.next();
      return t;
    }
    default:
      return p.failExpected('a type', 'here');
  }
}

function parseKeywordType(p: ParseState): Type {
  const l = p.lex;
  const src = l.src;
  const s = l.start;
  const len = l.end - s;
  const c0 = src.charCodeAt(s);
  // siN / uiN: a signedness prefix before the integer type.
  const sign = (c0 === 115 /* s */ || c0 === 117) /* u */ && src.charCodeAt(s + 1) === 105 && len > 2 && isDigit(src.charCodeAt(s + 2)) ? 1 : 0;
  if ((c0 === 105 /* i */ && len > 1 && isDigit(src.charCodeAt(s + 1))) || sign) {
    let w = 0;
    for (let k = s + 1 + sign; k < l.end; k++) {
      const c = src.charCodeAt(k);
      if (!isDigit(c)) p.fail(`unknown type '${l.text()}'`);
      w = w * 10 + (c - 48);
      if (w > 1 << 16) p.fail(`integer width of '${l.text()}' exceeds 65536`);
    }
    if (w === 0) p.fail('integer width must be at least 1');
    l.next();
    return sign ? signedInt(w, c0 === 115 ? 'signed' : 'unsigned') : i(w);
  }
  let t: Type | undefined;
  if (l.isKw('index')) t = index;
  else if (l.isKw('f32')) t = f32;
  else if (l.isKw('f64')) t = f64;
  else if (l.isKw('f16')) t = f16;
  else if (l.isKw('bf16')) t = bf16;
  else if (l.isKw('none')) t = none;
  if (t) {
    l.next();
    return t;
  }
  if (l.isKw('memref') || l.isKw('vector') || l.isKw('tensor')) return cached(p, parseShapedType);
  return p.fail(`unsupported type '${l.text()}'`);
}

/** Looks the type's source text up before parsing it; on a miss, parses and remembers it. */
function cached(p: ParseState, parse: (p: ParseState) => Type): Type {
  const l = p.lex;
  const src = l.src;
  const start = l.start;
  const end = scanTypeEnd(src, start);
  if (end < 0) return parse(p);
  // Text naming an alias (`#map`, `!t`) means different types in different files, so it is cached per parse.
  const h = hashRange(src, start, end);
  const table = scanSawAlias ? p.localTypes : globalTypes;
  const hit = table.get(src, start, end, h);
  if (hit) {
    l.advanceTo(end);
    return hit;
  }
  const t = parse(p);
  // Only a parse that ended exactly where the scan did proves the text names this type.
  if (l.prevEnd === end) table.set(src, start, end, t, undefined, h);
  return t;
}

const SCAN_LIMIT = 4096;

/** Set by scanTypeEnd: the scanned text holds `#` or `!`. */
let scanSawAlias = false;

/** End offset of the type text at `p`, found without parsing; -1 when unsure (then the caller just parses). */
function scanTypeEnd(src: string, p: number): number {
  scanSawAlias = false;
  return scanType(src, p);
}

function scanType(src: string, p: number): number {
  if (src.charCodeAt(p) === 40 /* ( */) {
    p = scanGroup(src, p);
    if (p < 0) return -1;
    while (src.charCodeAt(p) === 32) p++;
    if (src.charCodeAt(p) !== 45 || src.charCodeAt(p + 1) !== 62) return -1;
    p += 2;
    while (src.charCodeAt(p) === 32) p++;
    return src.charCodeAt(p) === 40 ? scanGroup(src, p) : scanType(src, p);
  }
  const q = p;
  for (let c = src.charCodeAt(p); isIdChar(c) || c === 33 || c === 35; c = src.charCodeAt(++p)) {
    if (c === 33 || c === 35) scanSawAlias = true;
  }
  if (p === q) return -1;
  return src.charCodeAt(p) === 60 /* < */ ? scanGroup(src, p) : p;
}

/** Offset after the bracket group opening at `p`; `->` is an arrow, not a closer. */
function scanGroup(src: string, p: number): number {
  const limit = Math.min(src.length, p + SCAN_LIMIT);
  let depth = 0;
  for (; p < limit; p++) {
    const c = src.charCodeAt(p);
    if (c === 40 || c === 60 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 62 || c === 93 || c === 125) {
      if (--depth === 0) return p + 1;
    } else if (c === 45 && src.charCodeAt(p + 1) === 62) p++;
    else if (c === 35 || c === 33) scanSawAlias = true;
    else if (c === 34 || c === 10) return -1;
  }
  return -1;
}

export function parseFunctionType(p: ParseState): Type {
  const inputs = parseTypeList(p, 'in a function type');
  p.expect(Tok.Arrow, 'in a function type');
  const results = p.lex.kind === Tok.LParen ? parseTypeList(p, 'in function results') : [parseType(p)];
  return fn(inputs, results);
}

/** `(t1, t2, ...)`, possibly empty. */
export function parseTypeList(p: ParseState, context: string): Type[] {
  const l = p.lex;
  p.expect(Tok.LParen, context);
  const out: Type[] = [];
  if (p.eat(Tok.RParen)) return out;
  for (;;) {
    out.push(parseType(p));
    if (l.kind === Tok.RParen) break;
    p.expect(Tok.Comma, `or ')' ${context}`);
  }
  l.next();
  return out;
}

type Dims = { shape: number[]; scalable: boolean[] | undefined; unranked: boolean };

/**
 * `4x?x[8]x` read straight from the characters: `4x4xf32` is one identifier-like run that tokens cannot split.
 * The current token is the `<`; on return the current token is the element type.
 */
function parseDims(p: ParseState, what: string): Dims {
  const l = p.lex;
  const src = l.src;
  let q = l.end;
  const shape: number[] = [];
  let scalable: boolean[] | undefined;
  if (src.charCodeAt(q) === 42 /* * */) {
    if (src.charCodeAt(q + 1) !== 120) p.fail(`expected 'x' after '*' in ${what} type`, q + 1);
    l.advanceTo(q + 2);
    return { shape, scalable, unranked: true };
  }
  for (;;) {
    const c = src.charCodeAt(q);
    let d: number;
    let sc = false;
    if (isDigit(c)) {
      d = 0;
      for (; isDigit(src.charCodeAt(q)); q++) d = d * 10 + (src.charCodeAt(q) - 48);
      if (d > Number.MAX_SAFE_INTEGER / 2) p.fail(`dimension too large in ${what} type`, q);
    } else if (c === 63 /* ? */) {
      d = DYNAMIC;
      q++;
    } else if (c === 91 /* [ */ && what === 'vector') {
      q++;
      if (!isDigit(src.charCodeAt(q))) p.fail('expected a scalable dimension size', q);
      d = 0;
      for (; isDigit(src.charCodeAt(q)); q++) d = d * 10 + (src.charCodeAt(q) - 48);
      if (src.charCodeAt(q) !== 93) p.fail("expected ']' after a scalable dimension", q);
      q++;
      sc = true;
    } else break;
    if (src.charCodeAt(q) !== 120 /* x */) p.fail(`expected 'x' in ${what} dimension list`, q);
    q++;
    if (sc) (scalable ??= shape.map(() => false)).push(true);
    else scalable?.push(false);
    shape.push(d);
  }
  l.advanceTo(q);
  return { shape, scalable, unranked: false };
}

function parseShapedType(p: ParseState): Type {
  const l = p.lex;
  const what = l.text();
  const at = l.start;
  l.next();
  if (l.kind !== Tok.Less) p.failExpected("'<'", `after '${what}'`);
  const dims = parseDims(p, what);
  const elem = parseType(p);
  if (what === 'memref') {
    let layout: Attr | undefined;
    let space: Attr | undefined;
    while (p.eat(Tok.Comma)) {
      const attrAt = l.start;
      const a = parseAttr(p);
      if (!dims.unranked && !layout && !space && (a.kind === 'strided' || a.kind === 'affine_map')) layout = a;
      else if (!space) space = a;
      else p.fail('too many parameters in memref type', attrAt);
    }
    p.expect(Tok.Greater, 'to close the memref type');
    return dims.unranked ? umemref(elem, space) : memref(dims.shape, elem, layout, space);
  }
  if (dims.unranked) p.fail(`unranked ${what} types are not supported`, at);
  if (what === 'vector') {
    if (dims.shape.includes(DYNAMIC)) p.fail('vector dimensions must be static', at);
    p.expect(Tok.Greater, 'to close the vector type');
    return vector(dims.shape, elem, dims.scalable);
  }
  if (l.is(Tok.Comma)) p.fail('tensor encodings are not supported');
  p.expect(Tok.Greater, 'to close the tensor type');
  return tensor(dims.shape, elem);
}
