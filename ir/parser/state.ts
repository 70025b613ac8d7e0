// What the type, attribute, affine and op parsers share: the lexer, the file's aliases, and small token helpers.
import type { Attr } from '../attributes.ts';
import type { Type } from '../types.ts';
import { TextTable } from './intern.ts';
import { Lexer, Tok, tokName } from './lexer.ts';

export class ParseState {
  readonly lex: Lexer;
  /** `#name = ...`; null marks a location alias (`#loc = loc(...)`), which only `loc(...)` may use. */
  readonly attrAliases = new Map<string, Attr | null>();
  readonly typeAliases = new Map<string, Type>();
  /** Types by source text, for texts that mention an alias (the global cache only holds alias-free ones). */
  readonly localTypes = new TextTable<Type>(Infinity);

  constructor(src: string, file: string) {
    this.lex = new Lexer(src, file);
  }

  fail(message: string, at?: number): never {
    return this.lex.fail(message, at);
  }

  /** Consumes a token of `kind`, or fails naming what was expected. */
  expect(kind: Tok, context: string): void {
    if (this.lex.kind !== kind) this.failExpected(tokName(kind), context);
    this.lex.next();
  }

  failExpected(what: string, context: string): never {
    const l = this.lex;
    const found = l.kind === Tok.EOF ? 'end of input' : `'${l.src.slice(l.start, Math.min(l.end, l.start + 40))}'`;
    return this.fail(`expected ${what} ${context}, found ${found}`);
  }

  /** Consumes a token of `kind` if it is the current one. */
  eat(kind: Tok): boolean {
    if (this.lex.kind !== kind) return false;
    this.lex.next();
    return true;
  }

  /**
   * Reads a trailing `loc("file":line:col ...)` as a position; other location forms (fused, call sites, names) give
   * undefined. The whole `loc(...)` is consumed either way.
   */
  readLoc(): { line: number; col: number } | undefined {
    const l = this.lex;
    if (!l.isKw('loc')) return undefined;
    l.next();
    if (l.kind !== Tok.LParen) this.failExpected("'('", "after 'loc'");
    l.next();
    // Re-read the kind after each next(): TypeScript would keep the narrowing from the check above.
    const kind = (): Tok => l.kind;
    let pos: { line: number; col: number } | undefined;
    if (kind() === Tok.String) {
      l.next();
      if (this.eat(Tok.Colon) && kind() === Tok.Int) {
        const line = Number(l.text());
        l.next();
        if (this.eat(Tok.Colon) && kind() === Tok.Int) {
          pos = { line, col: Number(l.text()) };
          l.next();
        }
      }
    }
    for (let depth = 1; depth > 0; l.next()) {
      const k = kind();
      if (k === Tok.LParen) depth++;
      else if (k === Tok.RParen) depth--;
      else if (k === Tok.EOF) this.fail('unbalanced brackets: unexpected end of input');
    }
    return pos;
  }

  /** Skips a `loc(...)` trailing location if one follows: tcfuzz keeps its own locations. */
  skipLoc(): void {
    const l = this.lex;
    if (!l.isKw('loc')) return;
    l.next();
    if (l.kind !== Tok.LParen) this.failExpected("'('", "after 'loc'");
    this.skipBalanced();
  }

  /** Skips a balanced group starting at the current `(`, `[`, `{` or `<` token, strings included. */
  skipBalanced(): void {
    const l = this.lex;
    let depth = 0;
    do {
      switch (l.kind) {
        case Tok.LParen:
        case Tok.LSquare:
        case Tok.LBrace:
        case Tok.Less:
          depth++;
          break;
        case Tok.RParen:
        case Tok.RSquare:
        case Tok.RBrace:
        case Tok.Greater:
          depth--;
          break;
        case Tok.EOF:
          this.fail('unbalanced brackets: unexpected end of input');
      }
      l.next();
    } while (depth > 0);
  }
}
