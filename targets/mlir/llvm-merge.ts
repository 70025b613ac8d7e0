// Batching below mlir-opt: many lowered (LLVM dialect) modules become one, so a single mlir-translate, llc and
// wasm-ld (or one mlir-runner JIT) serves the batch. Each module's own symbols get a per-module suffix; external
// declarations (libm, runner utils) are shared.

/** mlir-opt's printed LLVM-dialect module, split into what merging needs. */
export type LoweredParts = {
  /** `attributes {...}` text of the module op, or '' when it has none. */
  readonly attrs: string;
  /** Top-level ops of the module body other than function declarations, one string each. */
  readonly defs: readonly string[];
  /** Function declarations by symbol, with the declaration line. */
  readonly decls: ReadonlyMap<string, string>;
  /** Symbols the module defines (functions with bodies, globals). */
  readonly defined: ReadonlySet<string>;
};

const SYMBOL = /@("(?:[^"\\]|\\.)*"|[A-Za-z_$.][\w$.-]*)/g;

export class MergeError extends Error {
  override name = 'MergeError';
}

/**
 * Expects mlir-opt's output with --mlir-print-local-scope (no alias definitions outside the module), in custom form
 * or generic form (--mlir-print-op-generic, which coverage runs use: see mlir-opt.ts).
 */
export function splitLowered(text: string): LoweredParts {
  const lines = text.split('\n');
  const open = lines.findIndex((l) => /^(?:module\b|"builtin\.module"\(\) \(\{$)/.test(l));
  let close = lines.length - 1;
  while (close > open && lines[close]!.trim() === '') close--;
  if (open < 0) throw new MergeError('not a printed module');
  const generic = lines[open]!.startsWith('"');
  const head = generic ? lines[close]! : lines[open]!;
  const am = generic ? /^\}\)(?: (\{.*\}))? : \(\) -> \(\)$/.exec(head) : /^module(?: @[\w$.-]+)?(?: attributes (\{.*\}))? \{$/.exec(head);
  if (!am || (!generic && lines[close] !== '}')) throw new MergeError(`unexpected module ${generic ? 'end' : 'header'}: ${head}`);
  const defs: string[] = [];
  const decls = new Map<string, string>();
  const defined = new Set<string>();
  let cur: string[] | undefined;
  const end = (): void => {
    if (!cur) return;
    const op = cur.join('\n');
    cur = undefined;
    const decl = generic ? genericDeclaration(op) : undefined;
    if (decl !== undefined) decls.set(decl, op);
    else {
      const sym = generic && GENERIC_SYMBOL_OP.test(op) ? GENERIC_SYM_NAME.exec(op) : null;
      if (sym) defined.add(symbolRef(sym[1]!));
      defs.push(op);
    }
  };
  for (const line of lines.slice(open + 1, close)) {
    // Top-level ops are indented by exactly two spaces; deeper lines, closing braces and block labels (printed two
    // spaces left of their ops) belong to the op above.
    if (/^ {2}[^\s}^]/.test(line)) {
      end();
      const fn = /^ {2}llvm\.func (?:[a-z_]+ )*@("(?:[^"\\]|\\.)*"|[\w$.-]+)\(/.exec(line);
      if (fn && !line.endsWith('{')) {
        decls.set(fn[1]!, line);
        continue;
      }
      const sym = /^ {2}(?:llvm\.func|llvm\.mlir\.global|llvm\.mlir\.alias|llvm\.mlir\.ifunc) (?:[a-z_]+ )*@("(?:[^"\\]|\\.)*"|[\w$.-]+)/.exec(line);
      if (sym) defined.add(sym[1]!);
      cur = [line];
    } else if (cur) cur.push(line);
    else if (line.trim() !== '') cur = [line];
  }
  end();
  return { attrs: am[1] ?? '', defs, decls, defined };
}

const GENERIC_SYMBOL_OP = /^ {2}"llvm\.(?:func|mlir\.global|mlir\.alias|mlir\.ifunc)"\(/;
/** A symbol's definition in generic form: `sym_name = "main"` among the op's properties. */
const GENERIC_SYM_NAME = /\bsym_name = ("(?:[^"\\]|\\.)*")/;

/** The symbol an external function declaration in generic form declares: an llvm.func whose region is empty. */
function genericDeclaration(op: string): string | undefined {
  const lines = op.split('\n');
  if (lines.length !== 2 || !lines[0]!.startsWith('  "llvm.func"(') || !lines[0]!.endsWith('({') || lines[1] !== '  }) : () -> ()') return undefined;
  const name = GENERIC_SYM_NAME.exec(lines[0]!);
  return name ? symbolRef(name[1]!) : undefined;
}

/** How uses spell a symbol defined as `sym_name = "x"`: `@x`, or `@"x y"` when the name needs quotes. */
function symbolRef(quoted: string): string {
  const bare = quoted.slice(1, -1);
  return /^[A-Za-z_$.][\w$.-]*$/.test(bare) ? bare : quoted;
}

/** `@name` → `@name__k{k}` for the module's own symbols; quoted names keep their quotes. */
export function renameSymbol(name: string, k: number): string {
  return name.startsWith('"') ? `${name.slice(0, -1)}__k${k}"` : `${name}__k${k}`;
}

function renameIn(text: string, defined: ReadonlySet<string>, k: number): string {
  return text
    .replace(SYMBOL, (all, name: string) => (defined.has(name) ? '@' + renameSymbol(name, k) : all))
    .replace(GENERIC_SYM_NAME, (all, quoted: string) => {
      const name = symbolRef(quoted);
      return defined.has(name) ? `sym_name = ${renameSymbol(quoted, k)}` : all;
    });
}

/** Declaration text without its attribute dictionary: two modules agree on a symbol when their signatures match. */
function signature(decl: string): string {
  return decl.replace(/ attributes \{.*\}$/, '').trim();
}

export type MergeInput = { readonly k: number; readonly parts: LoweredParts };

/**
 * Programs per merged module. Larger groups amortise tool start-up further but a group that breaks a tool is
 * bisected by recompiling halves of it, so one bad program costs about 2·log2(limit) extra compiles of shrinking groups.
 */
export const MERGE_LIMIT = 32;

/**
 * Groups modules that can share one merged module: same module attributes, no conflicting declarations, at most
 * `limit` modules each.
 */
export function mergeGroups(mods: readonly MergeInput[], limit = MERGE_LIMIT): MergeInput[][] {
  const groups: { attrs: string; decls: Map<string, string>; items: MergeInput[] }[] = [];
  for (const m of mods) {
    const fits = groups.find(
      (g) =>
        g.items.length < limit &&
        g.attrs === m.parts.attrs &&
        [...m.parts.decls].every(([n, d]) => !g.decls.has(n) || signature(g.decls.get(n)!) === signature(d)),
    );
    const g = fits ?? { attrs: m.parts.attrs, decls: new Map<string, string>(), items: [] };
    if (!fits) groups.push(g);
    for (const [n, d] of m.parts.decls) if (!g.decls.has(n)) g.decls.set(n, d);
    g.items.push(m);
  }
  return groups.map((g) => g.items);
}

/**
 * One module holding every input's definitions, renamed apart, plus `extra` top-level text (the harness).
 * Inputs must come from one mergeGroups group.
 */
export function mergeLowered(mods: readonly MergeInput[], extra: string): string {
  if (mods.length === 0) throw new MergeError('nothing to merge');
  const attrs = mods[0]!.parts.attrs;
  const decls = new Map<string, string>();
  const body: string[] = [];
  for (const { k, parts } of mods) {
    if (parts.attrs !== attrs) throw new MergeError('modules with different attributes cannot be merged');
    for (const [n, d] of parts.decls) {
      const prev = decls.get(n);
      if (prev === undefined) decls.set(n, d);
      else if (signature(prev) !== signature(d)) throw new MergeError(`conflicting declarations of @${n}`);
    }
    for (const d of parts.defs) body.push(renameIn(d, parts.defined, k));
  }
  const head = attrs ? `module attributes ${attrs} {` : 'module {';
  return [head, ...decls.values(), ...body, extra, '}', ''].join('\n');
}

/**
 * convert-arith-to-llvm copies `fastmath = #arith.fastmath<...>` onto llvm.fpext/llvm.fptrunc, and neither
 * mlir-translate nor mlir-runner loads the arith dialect, so they reject the module
 * (fixtures/backends/bugs/arith-to-llvm-fastmath-leak.mlir). The attribute means nothing on those ops.
 */
export function stripArithFastmath(text: string): string {
  return text
    .replace(/ \{fastmath = #arith\.fastmath<[^>]*>\}/g, '')
    .replace(/fastmath = #arith\.fastmath<[^>]*>, /g, '')
    .replace(/, fastmath = #arith\.fastmath<[^>]*>/g, '');
}

/**
 * The program a tool's error names, if any: LLVM reports instruction-selection failures "In function: main__k7",
 * and the suffix says which merged program it came from. Lets a failing batch split off the culprit directly
 * instead of bisecting.
 */
export function blamedProgram(stderr: string, ks: readonly number[]): number | undefined {
  for (const m of stderr.matchAll(/In function: \S*?__k(\d+)\b/g)) {
    const k = Number(m[1]);
    if (ks.includes(k)) return k;
  }
  return undefined;
}
