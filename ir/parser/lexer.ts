// Pull lexer over char codes: one token of lookahead, no per-token objects, no regexes. The parser reads the
// current token from the fields (kind, start, end, line, col) and calls next() to advance.
import { IrError } from '../diagnostic.ts';
import type { Loc } from '../core.ts';
import { flatCopy } from './intern.ts';

export const enum Tok {
  EOF,
  BareId, // foo, i32, affine_map, x.y$z
  PercentId, // %0, %arg1 (a `#N` result suffix goes to resultNo)
  CaretId, // ^bb1
  AtId, // @sym or @"quoted"
  HashId, // #map, #arith.overflow
  BangId, // !alias
  Int, // 12, 0xFF
  Float, // 1.5, 2.e-3
  String, // "..."
  LParen,
  RParen,
  LBrace,
  RBrace,
  LSquare,
  RSquare,
  Less,
  Greater,
  Comma,
  Colon,
  ColonColon,
  Equal,
  Arrow,
  Question,
  Star,
  Plus,
  Minus,
  MetaBegin, // {-#
  MetaEnd, // #-}
}

const TOK_NAMES = [
  'end of input', 'identifier', 'SSA value', 'block label', 'symbol', 'attribute alias', 'type alias', 'integer',
  'float', 'string', "'('", "')'", "'{'", "'}'", "'['", "']'", "'<'", "'>'", "','", "':'", "'::'", "'='", "'->'",
  "'?'", "'*'", "'+'", "'-'", "'{-#'", "'#-}'",
];
export const tokName = (k: Tok): string => TOK_NAMES[k]!;

const C_TAB = 9, C_NL = 10, C_CR = 13, C_SP = 32, C_BANG = 33, C_QUOTE = 34, C_HASH = 35, C_DOLLAR = 36, C_PCT = 37;
const C_LP = 40, C_RP = 41, C_STAR = 42, C_PLUS = 43, C_COMMA = 44, C_MINUS = 45, C_DOT = 46, C_SLASH = 47;
const C_0 = 48, C_9 = 57, C_COLON = 58, C_LT = 60, C_EQ = 61, C_GT = 62, C_QM = 63, C_AT = 64;
const C_LSQ = 91, C_BSL = 92, C_RSQ = 93, C_CARET = 94, C_UND = 95, C_LBR = 123, C_RBR = 125;

// Character classes as a table: one array load per char instead of a chain of comparisons.
const LETTER = 1, DIGIT = 2, IDPUNCT = 4, HEX = 8;
const CLS = new Uint8Array(128);
for (let c = 65; c <= 90; c++) CLS[c] = LETTER;
for (let c = 97; c <= 122; c++) CLS[c] = LETTER;
for (let c = C_0; c <= C_9; c++) CLS[c] = DIGIT | HEX;
for (const c of 'abcdefABCDEF') CLS[c.charCodeAt(0)]! |= HEX;
CLS[C_UND] = LETTER;
CLS[C_DOLLAR] = IDPUNCT;
CLS[C_DOT] = IDPUNCT;

const cls = (c: number): number => (c < 128 ? CLS[c]! : 0);
export const isDigit = (c: number): boolean => c >= C_0 && c <= C_9;
/** Bare identifier continuation: letters, digits, `_`, `$`, `.`. */
export const isIdChar = (c: number): boolean => (cls(c) & (LETTER | DIGIT | IDPUNCT)) !== 0;
/** SSA and block names also allow `-`. */
const isSuffixChar = (c: number): boolean => isIdChar(c) || c === C_MINUS;

export class Lexer {
  pos = 0;
  private line = 1;
  private lineStart = 0;

  kind: Tok = Tok.EOF;
  /** Token text is src[start, end); for prefixed ids and strings this includes the sigil or quotes. */
  start = 0;
  end = 0;
  /** End of the previous token: where a construct that just finished parsing ends. */
  prevEnd = 0;
  tokLine = 1;
  tokCol = 1;
  /** `%x#N`: N, else -1. */
  resultNo = -1;
  /** A string token (or quoted @symbol) holds a backslash escape. */
  escaped = false;
  /** Int token written in hex. */
  hex = false;

  constructor(
    readonly src: string,
    readonly file: string,
  ) {
    this.next();
  }

  /** Where the current token starts, for diagnostics and op locations. */
  loc(): Loc {
    return { file: this.file, line: this.tokLine, col: this.tokCol };
  }

  /** The location of any offset; scans from the start, so only for the error path. */
  locAt(offset: number): Loc {
    let line = 1;
    let ls = 0;
    const src = this.src;
    for (let k = 0; k < offset && k < src.length; k++) {
      if (src.charCodeAt(k) === C_NL) {
        line++;
        ls = k + 1;
      }
    }
    return { file: this.file, line, col: offset - ls + 1 };
  }

  fail(message: string, at?: number): never {
    throw new IrError(message, at === undefined ? this.loc() : this.locAt(at));
  }

  text(): string {
    return this.src.slice(this.start, this.end);
  }
  /** `kind === k` as a call, so TypeScript does not keep a narrowing of `kind` across next(). */
  is(k: Tok): boolean {
    return this.kind === k;
  }
  /** True when the current token is exactly the bare identifier `kw` (no allocation). */
  isKw(kw: string): boolean {
    return this.kind === Tok.BareId && this.end - this.start === kw.length && this.src.startsWith(kw, this.start);
  }

  /** Skips raw text up to `offset` (at or after the end of the current token) and lexes the token there. */
  advanceTo(offset: number): void {
    const src = this.src;
    for (let k = this.pos; k < offset; k++) {
      if (src.charCodeAt(k) === C_NL) {
        this.line++;
        this.lineStart = k + 1;
      }
    }
    this.pos = offset;
    this.next();
  }

  next(): void {
    this.prevEnd = this.end;
    const src = this.src;
    const n = src.length;
    let p = this.pos;
    let c = 0;
    // Whitespace and `//` comments, counting lines as we go so every token knows its line and column.
    for (;;) {
      if (p >= n) {
        this.pos = p;
        this.setTok(Tok.EOF, p, p);
        return;
      }
      c = src.charCodeAt(p);
      if (c === C_SP || c === C_TAB || c === C_CR) p++;
      else if (c === C_NL) {
        p++;
        this.line++;
        this.lineStart = p;
      } else if (c === C_SLASH && src.charCodeAt(p + 1) === C_SLASH) {
        p += 2;
        while (p < n && src.charCodeAt(p) !== C_NL) p++;
      } else break;
    }
    const start = p;
    this.resultNo = -1;
    this.escaped = false;
    this.hex = false;
    switch (c) {
      case C_LP: return this.punct(Tok.LParen, start);
      case C_RP: return this.punct(Tok.RParen, start);
      case C_LBR:
        if (src.charCodeAt(p + 1) === C_MINUS && src.charCodeAt(p + 2) === C_HASH) return this.punct(Tok.MetaBegin, start, 3);
        return this.punct(Tok.LBrace, start);
      case C_RBR: return this.punct(Tok.RBrace, start);
      case C_LSQ: return this.punct(Tok.LSquare, start);
      case C_RSQ: return this.punct(Tok.RSquare, start);
      case C_LT: return this.punct(Tok.Less, start);
      case C_GT: return this.punct(Tok.Greater, start);
      case C_COMMA: return this.punct(Tok.Comma, start);
      case C_COLON:
        return src.charCodeAt(p + 1) === C_COLON ? this.punct(Tok.ColonColon, start, 2) : this.punct(Tok.Colon, start);
      case C_EQ: return this.punct(Tok.Equal, start);
      case C_QM: return this.punct(Tok.Question, start);
      case C_STAR: return this.punct(Tok.Star, start);
      case C_PLUS: return this.punct(Tok.Plus, start);
      case C_MINUS:
        return src.charCodeAt(p + 1) === C_GT ? this.punct(Tok.Arrow, start, 2) : this.punct(Tok.Minus, start);
      case C_QUOTE: {
        p = this.scanString(start);
        this.pos = p;
        return this.setTok(Tok.String, start, p);
      }
      case C_PCT:
      case C_CARET: {
        p++;
        const q = p;
        while (p < n && isSuffixChar(src.charCodeAt(p))) p++;
        if (p === q) this.fail(`expected a name after '${String.fromCharCode(c)}'`, start);
        const end = p;
        if (c === C_PCT && src.charCodeAt(p) === C_HASH && isDigit(src.charCodeAt(p + 1))) {
          let r = 0;
          p++;
          while (p < n && isDigit(src.charCodeAt(p))) r = r * 10 + (src.charCodeAt(p++) - C_0);
          this.pos = p;
          this.setTok(Tok.PercentId, start, end);
          this.resultNo = r;
          return;
        }
        this.pos = p;
        return this.setTok(c === C_PCT ? Tok.PercentId : Tok.CaretId, start, end);
      }
      case C_AT: {
        p++;
        if (src.charCodeAt(p) === C_QUOTE) {
          p = this.scanString(p);
        } else {
          if (!(cls(src.charCodeAt(p)) & LETTER)) this.fail("expected a symbol name after '@'", start);
          while (p < n && isIdChar(src.charCodeAt(p))) p++;
        }
        this.pos = p;
        return this.setTok(Tok.AtId, start, p);
      }
      case C_HASH:
      case C_BANG: {
        p++;
        if (c === C_HASH && src.charCodeAt(p) === C_MINUS && src.charCodeAt(p + 1) === C_RBR) return this.punct(Tok.MetaEnd, start, 3);
        const q = p;
        while (p < n && isIdChar(src.charCodeAt(p))) p++;
        if (p === q) this.fail(`expected a name after '${String.fromCharCode(c)}'`, start);
        this.pos = p;
        return this.setTok(c === C_HASH ? Tok.HashId : Tok.BangId, start, p);
      }
    }
    if (isDigit(c)) {
      if (c === C_0 && src.charCodeAt(p + 1) === 120 /* x */ && cls(src.charCodeAt(p + 2)) & HEX) {
        p += 2;
        while (p < n && cls(src.charCodeAt(p)) & HEX) p++;
        this.pos = p;
        this.setTok(Tok.Int, start, p);
        this.hex = true;
        return;
      }
      while (p < n && isDigit(src.charCodeAt(p))) p++;
      if (src.charCodeAt(p) !== C_DOT) {
        this.pos = p;
        return this.setTok(Tok.Int, start, p);
      }
      p++;
      while (p < n && isDigit(src.charCodeAt(p))) p++;
      const e = src.charCodeAt(p);
      if (e === 101 || e === 69) {
        let q = p + 1;
        const s = src.charCodeAt(q);
        if (s === C_PLUS || s === C_MINUS) q++;
        if (isDigit(src.charCodeAt(q))) {
          while (q < n && isDigit(src.charCodeAt(q))) q++;
          p = q;
        }
      }
      this.pos = p;
      return this.setTok(Tok.Float, start, p);
    }
    if (cls(c) & LETTER) {
      p++;
      while (p < n && isIdChar(src.charCodeAt(p))) p++;
      this.pos = p;
      return this.setTok(Tok.BareId, start, p);
    }
    this.fail(`unexpected character '${String.fromCodePoint(src.codePointAt(start)!)}'`, start);
  }

  private punct(kind: Tok, start: number, len = 1): void {
    this.pos = start + len;
    this.setTok(kind, start, start + len);
  }

  private setTok(kind: Tok, start: number, end: number): void {
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.tokLine = this.line;
    this.tokCol = start - this.lineStart + 1;
  }

  /** Returns the offset after the closing quote. */
  private scanString(open: number): number {
    const src = this.src;
    const n = src.length;
    let p = open + 1;
    for (;;) {
      if (p >= n) this.fail('unterminated string', open);
      const c = src.charCodeAt(p);
      if (c === C_QUOTE) return p + 1;
      if (c === C_NL) this.fail('unterminated string (newline in string)', open);
      if (c === C_BSL) {
        this.escaped = true;
        p += 2;
      } else p++;
    }
  }

  /** The value of a string token whose quotes span [open, close]: `\n \t \" \\` and `\XX` hex bytes, UTF-8. */
  stringValue(open = this.start, close = this.end - 1): string {
    if (!this.escaped) return flatCopy(this.src.slice(open + 1, close));
    const src = this.src;
    const bytes: number[] = [];
    for (let p = open + 1; p < close; ) {
      const c = src.charCodeAt(p);
      if (c !== C_BSL) {
        const cp = src.codePointAt(p)!;
        if (cp < 0x80) bytes.push(cp);
        else for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) bytes.push(b);
        p += cp > 0xffff ? 2 : 1;
        continue;
      }
      const d = src.charCodeAt(p + 1);
      if (d === 110) bytes.push(C_NL);
      else if (d === 116) bytes.push(C_TAB);
      else if (d === C_QUOTE || d === C_BSL) bytes.push(d);
      else if (cls(d) & HEX && cls(src.charCodeAt(p + 2)) & HEX) {
        bytes.push(parseInt(src.slice(p + 1, p + 3), 16));
        p += 3;
        continue;
      } else this.fail('unknown escape in string literal', p);
      p += 2;
    }
    return Buffer.from(bytes).toString('utf8');
  }
}
