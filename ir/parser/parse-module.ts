// Operations, regions and blocks in MLIR's generic form, with SSA names resolved the way MLIR's parser does:
// one name table per isolated-from-above region, definitions dropped when their region closes, and forward
// references kept as placeholders until the name is defined (or reported when the isolated region ends).
import type { Attr } from '../attributes.ts';
import { Block, Operation, Region, Value } from '../core.ts';
import type { Loc } from '../core.ts';
import { lookupOp } from '../ops/registry.ts';
import type { Type } from '../types.ts';
import { printType, typeEq } from '../types.ts';
import { intern } from './intern.ts';
import { Tok } from './lexer.ts';
import { parseAttr, parseDict } from './parse-attr.ts';
import { parseType } from './parse-type.ts';
import { ParseState } from './state.ts';

export type ParseOptions = {
  /** Accept ops the registry does not know (their regions are then not isolated name scopes). */
  readonly allowUnregistered?: boolean;
  /**
   * Take op locations from their `loc("...":line:col)` annotations (mlir-opt --mlir-print-debuginfo output of a
   * custom-syntax file), so errors and UB point into the original file rather than the generic rendering.
   */
  readonly sourceLocs?: boolean;
};

/** `%12` is keyed by the number 12: no string to slice and hash for the names mlir-opt prints. */
type NameKey = string | number;

function nameKey(src: string, start: number, end: number): NameKey {
  if (end - start <= 9) {
    let n = 0;
    let k = start;
    for (; k < end; k++) {
      const c = src.charCodeAt(k);
      if (c < 48 || c > 57) break;
      n = n * 10 + (c - 48);
    }
    // A leading zero (`%01`) is a different name from `%1`, so it stays a string.
    if (k === end && (src.charCodeAt(start) !== 48 || end - start === 1)) return n;
  }
  return src.slice(start, end);
}

type NameEntry = { vals: (Value | undefined)[]; defined: boolean };
/** A use before its definition: a placeholder value whose use-list holds every such use until the definition. */
type ForwardRef = { name: NameKey; resultNo: number; at: number };

class NameScope {
  readonly values = new Map<NameKey, NameEntry>();
  readonly forward = new Map<Value, ForwardRef>();
  /** Names defined by each open region of this scope, innermost last. */
  readonly regionDefs: NameKey[][] = [[]];
}

type BlockRef = { block: Block; defined: boolean; at: number };

class ModuleParser {
  readonly p: ParseState;
  private readonly scopes: NameScope[] = [new NameScope()];
  private scope: NameScope = this.scopes[0]!;
  /** Block names of each open region, innermost last. */
  private readonly blockScopes: Map<string, BlockRef>[] = [];
  private readonly useNames: NameKey[] = [];
  private readonly useNos: number[] = [];
  private readonly useAts: number[] = [];
  private useTop = 0;
  /** Owner of forward-reference placeholders, so they are recognisable and never mistaken for real values. */
  private readonly placeholderOwner = new Block();

  constructor(
    src: string,
    private readonly file: string,
    private readonly opts: ParseOptions,
  ) {
    this.p = new ParseState(src, file);
  }

  parseTopLevel(): Operation {
    const p: ParseState = this.p;
    const l = p.lex;
    const body = new Block();
    for (;;) {
      switch (l.kind) {
        case Tok.EOF:
          break;
        case Tok.HashId:
        case Tok.BangId:
          this.parseAliasDef();
          continue;
        case Tok.MetaBegin:
          // File metadata (dialect resources, external resources) describes nothing tcfuzz's IR can hold;
          // an attribute that refers into it fails on its own as unsupported.
          while (!l.is(Tok.MetaEnd)) {
            if (l.is(Tok.EOF)) p.fail("unterminated file metadata: expected '#-}'");
            l.next();
          }
          l.next();
          continue;
        default:
          body.append(this.parseOp());
          continue;
      }
      break;
    }
    this.closeNameScope();
    const only = body.ops[0];
    if (body.ops.length === 1 && only!.name === 'builtin.module' && only!.results.length === 0) {
      only!.remove();
      return only!;
    }
    const m = new Operation('builtin.module', [], [], {}, [new Region([body])]);
    m.loc = { file: this.file, line: 1, col: 1 };
    return m;
  }

  private parseAliasDef(): void {
    const p: ParseState = this.p;
    const l = p.lex;
    const isType = l.is(Tok.BangId);
    const at = l.start;
    const name = l.src.slice(l.start + 1, l.end);
    if (name.includes('.')) p.fail(`alias name '${name}' cannot contain '.'`);
    l.next();
    p.expect(Tok.Equal, `after alias '${isType ? '!' : '#'}${name}'`);
    if (isType) {
      if (p.typeAliases.has(name)) p.fail(`redefinition of type alias '!${name}'`, at);
      p.typeAliases.set(name, parseType(p));
      return;
    }
    if (p.attrAliases.has(name)) p.fail(`redefinition of attribute alias '#${name}'`, at);
    if (l.isKw('loc')) {
      p.skipLoc();
      p.attrAliases.set(name, null);
    } else p.attrAliases.set(name, parseAttr(p));
  }

  parseOp(): Operation {
    const p: ParseState = this.p;
    const l = p.lex;
    const loc: Loc = l.loc();
    // Result groups: `%a, %b:2 = `.
    let groups: { name: NameKey; count: number; at: number }[] | undefined;
    if (l.is(Tok.PercentId)) {
      groups = [];
      for (;;) {
        if (!l.is(Tok.PercentId)) p.failExpected('a result name', "after ','");
        if (l.resultNo >= 0) p.fail("a result name cannot have a '#' suffix");
        const g = { name: nameKey(l.src, l.start + 1, l.end), count: 1, at: l.start };
        l.next();
        if (p.eat(Tok.Colon)) {
          if (!l.is(Tok.Int) || l.hex) p.failExpected('a result count', "after ':'");
          g.count = Number(l.text());
          if (g.count < 1) p.fail('a result group must hold at least one value');
          l.next();
        }
        groups.push(g);
        if (!p.eat(Tok.Comma)) break;
      }
      p.expect(Tok.Equal, 'after result names');
    }
    if (!l.is(Tok.String)) {
      if (l.is(Tok.BareId)) {
        p.fail(`custom operation syntax is not supported ('${l.text()}'): the parser reads the generic form; normalise the input with 'mlir-opt --mlir-print-op-generic'`);
      }
      p.failExpected('an operation name in quotes', groups ? "after '='" : 'here');
    }
    const name = l.escaped ? l.stringValue() : intern(l.src, l.start + 1, l.end - 1);
    if (!name.includes('.')) p.fail(`operation name '${name}' has no dialect prefix`);
    const spec = lookupOp(name);
    if (!spec && !this.opts.allowUnregistered) p.fail(`unknown operation '${name}'`);
    l.next();

    if (!l.is(Tok.LParen)) p.failExpected("'('", `after operation name '${name}'`);
    l.next();
    // Uses wait on a shared stack until the signature gives their types; ops nested in this op's regions
    // push and pop above them.
    const useBase = this.useTop;
    if (!p.eat(Tok.RParen)) {
      for (;;) {
        if (!l.is(Tok.PercentId)) p.failExpected('an SSA value', 'in operand list');
        const u = this.useTop++;
        this.useNames[u] = nameKey(l.src, l.start + 1, l.end);
        this.useNos[u] = l.resultNo < 0 ? 0 : l.resultNo;
        this.useAts[u] = l.start;
        l.next();
        if (p.eat(Tok.RParen)) break;
        p.expect(Tok.Comma, "or ')' in operand list");
      }
    }
    const nOperands = this.useTop - useBase;

    const successors: Block[] = [];
    if (p.eat(Tok.LSquare)) {
      for (;;) {
        if (!l.is(Tok.CaretId)) p.failExpected('a block name', 'in successor list');
        successors.push(this.blockRef(l.src.slice(l.start + 1, l.end), l.start));
        l.next();
        if (p.eat(Tok.RSquare)) break;
        p.expect(Tok.Comma, "or ']' in successor list");
      }
    }

    let props: Record<string, Attr> = {};
    if (p.eat(Tok.Less)) {
      if (!l.is(Tok.LBrace)) p.failExpected("'{'", "after '<' to start properties");
      props = parseDict(p);
      p.expect(Tok.Greater, "after properties to close '<{'");
    }

    const regions: Region[] = [];
    if (p.eat(Tok.LParen)) {
      const isolated = spec?.traits?.includes('isolated-from-above') ?? false;
      for (;;) {
        if (!l.is(Tok.LBrace)) p.failExpected("'{'", 'to start a region');
        regions.push(this.parseRegion(isolated));
        if (p.eat(Tok.RParen)) break;
        p.expect(Tok.Comma, "or ')' after a region");
      }
    }

    let attrs: Record<string, Attr> = {};
    if (l.is(Tok.LBrace)) attrs = parseDict(p);

    if (!l.is(Tok.Colon)) p.failExpected("':'", `before the type of '${name}'`);
    l.next();
    const sigAt = l.start;
    const sig = parseType(p);
    if (sig.kind !== 'function') p.fail(`expected a function type for '${name}', found '${printType(sig)}'`, sigAt);
    if (sig.inputs.length !== nOperands) {
      p.fail(`'${name}' has ${plural(nOperands, 'operand')} but its type lists ${sig.inputs.length}`, sigAt);
    }
    const nResults = groups ? groups.reduce((s, g) => s + g.count, 0) : 0;
    if (groups && sig.results.length !== nResults) {
      p.fail(`'${name}' defines ${plural(sig.results.length, 'result')} but ${plural(nResults, 'name')} ${nResults === 1 ? 'was' : 'were'} given`, groups[0]!.at);
    }
    const src = this.opts.sourceLocs ? p.readLoc() : (p.skipLoc(), undefined);

    const operands: Value[] = new Array(nOperands);
    for (let k = 0; k < nOperands; k++) {
      const u = useBase + k;
      operands[k] = this.use(this.useNames[u]!, this.useNos[u]!, sig.inputs[k]!, this.useAts[u]!);
    }
    this.useTop = useBase;
    const op = new Operation(name, operands, sig.results, props, regions, successors, attrs);
    op.loc = src ? { file: loc.file, line: src.line, col: src.col } : loc;
    if (groups) {
      let k = 0;
      for (const g of groups) {
        this.define(g.name, op.results.slice(k, k + g.count), g.at);
        k += g.count;
      }
    }
    return op;
  }

  private parseRegion(isolated: boolean): Region {
    const p: ParseState = this.p;
    const l = p.lex;
    const openAt = l.start;
    l.next();
    if (isolated) {
      this.scope = new NameScope();
      this.scopes.push(this.scope);
    } else this.scope.regionDefs.push([]);
    const blocks = new Map<string, BlockRef>();
    this.blockScopes.push(blocks);
    const region = new Region();
    let cur: Block | undefined;
    if (!l.is(Tok.CaretId) && !l.is(Tok.RBrace)) cur = region.addBlock(new Block());
    for (;;) {
      if (l.is(Tok.RBrace)) break;
      if (l.is(Tok.EOF)) p.fail("unexpected end of input: expected '}' to close the region", openAt);
      if (l.is(Tok.CaretId)) cur = this.parseBlockLabel(region, blocks);
      else cur!.append(this.parseOp());
    }
    l.next();
    for (const [name, ref] of blocks) if (!ref.defined) p.fail(`reference to an undefined block '^${name}'`, ref.at);
    this.blockScopes.pop();
    if (isolated) this.closeNameScope();
    else for (const name of this.scope.regionDefs.pop()!) this.scope.values.delete(name);
    return region;
  }

  private parseBlockLabel(region: Region, blocks: Map<string, BlockRef>): Block {
    const p: ParseState = this.p;
    const l = p.lex;
    const name = l.src.slice(l.start + 1, l.end);
    const at = l.start;
    let ref = blocks.get(name);
    if (ref?.defined) p.fail(`redefinition of block '^${name}'`);
    if (!ref) blocks.set(name, (ref = { block: new Block(), defined: true, at }));
    ref.defined = true;
    const block = region.addBlock(ref.block);
    l.next();
    if (p.eat(Tok.LParen)) {
      for (;;) {
        if (!l.is(Tok.PercentId)) p.failExpected('a block argument', 'in block argument list');
        if (l.resultNo >= 0) p.fail("a block argument name cannot have a '#' suffix");
        const argName = nameKey(l.src, l.start + 1, l.end);
        const argAt = l.start;
        l.next();
        p.expect(Tok.Colon, 'after block argument name');
        const arg = block.addArg(parseType(p));
        p.skipLoc();
        this.define(argName, [arg], argAt);
        if (p.eat(Tok.RParen)) break;
        p.expect(Tok.Comma, "or ')' in block argument list");
      }
    }
    if (!l.is(Tok.Colon)) p.failExpected("':'", `after block label '^${name}'`);
    l.next();
    return block;
  }

  private blockRef(name: string, at: number): Block {
    const blocks = this.blockScopes[this.blockScopes.length - 1];
    if (!blocks) this.p.fail('a successor must name a block of the enclosing region', at);
    let ref = blocks.get(name);
    if (!ref) blocks.set(name, (ref = { block: new Block(), defined: false, at }));
    return ref.block;
  }

  /** Resolves a use `%name#resultNo` annotated with `type`; an unknown name becomes a forward reference. */
  private use(name: NameKey, resultNo: number, type: Type, at: number): Value {
    const sc = this.scope;
    let e = sc.values.get(name);
    const v = e?.vals[resultNo];
    if (e?.defined) {
      if (!v) this.p.fail(`'%${name}' has ${plural(e.vals.length, 'result')}, so '%${name}#${resultNo}' does not exist`, at);
      this.checkType(name, resultNo, v.type, type, at);
      return v;
    }
    if (v) {
      this.checkType(name, resultNo, v.type, type, at);
      return v;
    }
    const ph = new Value(type, this.placeholderOwner, resultNo);
    if (!e) sc.values.set(name, (e = { vals: [], defined: false }));
    e.vals[resultNo] = ph;
    sc.forward.set(ph, { name, resultNo, at });
    return ph;
  }

  private checkType(name: NameKey, resultNo: number, actual: Type, annotated: Type, at: number): void {
    if (actual === annotated || typeEq(actual, annotated)) return;
    const ref = resultNo > 0 ? `%${name}#${resultNo}` : `%${name}`;
    this.p.fail(`use of '${ref}' with type '${printType(annotated)}', but it has type '${printType(actual)}'`, at);
  }

  private define(name: NameKey, vals: Value[], at: number): void {
    const sc = this.scope;
    const e = sc.values.get(name);
    if (e) {
      if (e.defined) this.p.fail(`redefinition of SSA value '%${name}'`, at);
      for (let k = 0; k < e.vals.length; k++) {
        const ph = e.vals[k];
        if (!ph) continue;
        const ref = sc.forward.get(ph)!;
        const v = vals[k];
        if (!v) this.p.fail(`'%${name}' has ${plural(vals.length, 'result')}, so '%${name}#${k}' does not exist`, ref.at);
        // The use came first in the text, so it is the use whose annotation is reported as wrong.
        this.checkType(name, k, v.type, ph.type, ref.at);
        ph.replaceAllUsesWith(v);
        sc.forward.delete(ph);
      }
    }
    sc.values.set(name, { vals, defined: true });
    sc.regionDefs[sc.regionDefs.length - 1]!.push(name);
  }

  private closeNameScope(): void {
    const sc = this.scopes.pop()!;
    let first: ForwardRef | undefined;
    for (const ref of sc.forward.values()) if (!first || ref.at < first.at) first = ref;
    if (first) {
      const ref = first.resultNo > 0 ? `%${first.name}#${first.resultNo}` : `%${first.name}`;
      this.p.fail(`use of undefined value '${ref}'`, first.at);
    }
    this.scope = this.scopes[this.scopes.length - 1]!;
  }
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function parseModuleWith(text: string, file: string, opts: ParseOptions): Operation {
  const parser = new ModuleParser(text, file, opts);
  try {
    return parser.parseTopLevel();
  } catch (e) {
    // Absurdly deep nesting must not escape as a JS stack overflow: callers only expect IrError.
    if (e instanceof RangeError && /call stack/.test(e.message)) parser.p.fail('nesting too deep');
    throw e;
  }
}
