// Coverage features from stock MLIR builds (DESIGN §8): a streaming parser of `mlir-opt --log-actions-to=-`.
// With --split-input-file, mlir-opt processes the modules one after another and writes, for each, its action log
// and then its printed IR to stdout, followed by the output split marker; so every log record before a marker
// belongs to the module that marker closes. Records are one line, except that an op printed inside one may span
// several (a `cf.switch`'s cases, an `scf.index_switch`'s `case N {...}`); a record always ends with a backquote.
// Features are strings with hit counts; coverage/ hashes them (targets/ never imports coverage/).
import type { Diagnostic } from '../../contracts/outcome.ts';

/** Feature strings of one module with their hit counts. */
export type FeatureCounts = Map<string, number>;

/** One module of a batch: its printed IR (stdout without the log) and the features its log showed. */
export type ModuleLog = {
  readonly output: string;
  readonly features: FeatureCounts;
  /** When its split marker (or the end of the stream) arrived, in `performance.now()` time. */
  readonly endedAt: number;
};

const NL = 10;
const BACKQUOTE = 0x60;
const RECORD = Buffer.from('[thread ', 'latin1');
/** Log lines are decoded only this far: pattern and op names come first, the op's operands after. */
const HEAD = 512;
const ANON = /\(anonymous namespace\)::/g;
const COMPLETED_PASS = 'completed `pass-execution`';

/**
 * Splits mlir-opt's stdout into modules at `marker` lines, stripping action-log records from the IR and turning
 * them into features: `pass:<Pass>` per pass execution, `pat:<Pattern>@<op>` per pattern application attempt,
 * and `iter:<Pass>:<N>` when a greedy rewrite reached its N-th iteration (the (N-1)-th changed something).
 * Feed it chunks as they arrive (`push`), then `finish()`. Log lines are not kept; IR lines are kept as views of
 * the chunks until their module ends.
 */
export class ActionLogSplitter {
  /** Modules completed so far, in order. */
  readonly modules: ModuleLog[] = [];
  private readonly marker: Buffer;
  private pending: Buffer[] = [];
  private ir: Buffer[] = [];
  private features: FeatureCounts = new Map();
  /** Inside a record whose op text spans several lines. */
  private continuing = false;
  /** The passes running now (pass executions nest: an adaptor runs function passes). */
  private readonly passes: string[] = [];
  private chunk: Buffer | undefined;
  /** Pattern names as logged → as featured (no `(anonymous namespace)::`). */
  private readonly names = new Map<string, string>();
  private runStart = -1;
  /** Milliseconds spent in `push` and `finish`, for the bench. */
  parseMs = 0;

  constructor(marker: string) {
    this.marker = Buffer.from(marker, 'utf8');
  }

  push(chunk: Buffer): void {
    const t0 = performance.now();
    let s = 0;
    let nl = chunk.indexOf(NL);
    if (nl >= 0 && this.pending.length > 0) {
      // The first line began in an earlier chunk: join just that line.
      this.pending.push(chunk.subarray(0, nl + 1));
      const line = Buffer.concat(this.pending);
      this.pending = [];
      if (this.line(line, 0, line.length - 1)) this.ir.push(line);
      s = nl + 1;
      nl = chunk.indexOf(NL, s);
    }
    this.chunk = chunk;
    while (nl >= 0) {
      if (this.line(chunk, s, nl)) {
        if (this.runStart < 0) this.runStart = s;
      } else this.endRun(s);
      s = nl + 1;
      nl = chunk.indexOf(NL, s);
    }
    this.endRun(s);
    this.chunk = undefined;
    if (s < chunk.length) this.pending.push(chunk.subarray(s));
    this.parseMs += performance.now() - t0;
  }

  /** A run of consecutive IR lines of the current chunk is kept as one view of it. */
  private endRun(at: number): void {
    if (this.runStart >= 0) this.ir.push(this.chunk!.subarray(this.runStart, at));
    this.runStart = -1;
  }

  /** Ends the last module (the text after the last marker) and returns every module. */
  finish(): ModuleLog[] {
    const t0 = performance.now();
    if (this.pending.length > 0) {
      const line = Buffer.concat(this.pending);
      this.pending = [];
      // A last line without its newline: IR unless it is a record.
      if (!this.isRecord(line, 0, line.length)) this.ir.push(line);
    }
    this.endModule(false);
    this.parseMs += performance.now() - t0;
    return this.modules;
  }

  /** Handles the line [s, e) of `b` (e is its newline). Returns true for an IR line, which the caller keeps. */
  private line(b: Buffer, s: number, e: number): boolean {
    if (this.continuing) {
      if (this.isRecord(b, s, e) || this.isMarker(b, s, e)) this.continuing = false;
      else {
        if (e > s && b[e - 1] === BACKQUOTE) this.continuing = false;
        return false;
      }
    }
    if (this.isMarker(b, s, e)) {
      this.endRun(s);
      this.endModule(true);
      return false;
    }
    if (this.isRecord(b, s, e)) {
      // `[thread T] completed \`kind\``: only the end of a pass execution matters, and only it has that length.
      let p = s + RECORD.length;
      while (p < e && b[p] !== 93 /* ] */) p++;
      if (b[p + 2] === 99 /* c */) {
        if (e - p === COMPLETED_PASS.length + 2 && b.toString('latin1', p + 2, e) === COMPLETED_PASS) this.passes.pop();
        return false;
      }
      this.record(b.toString('latin1', p + 2, Math.min(e, p + 2 + HEAD)));
      if (b[e - 1] !== BACKQUOTE) this.continuing = true;
      return false;
    }
    return true;
  }

  private isRecord(b: Buffer, s: number, e: number): boolean {
    if (e - s < RECORD.length) return false;
    for (let i = 0; i < RECORD.length; i++) if (b[s + i] !== RECORD[i]) return false;
    return true;
  }

  private isMarker(b: Buffer, s: number, e: number): boolean {
    if (e - s !== this.marker.length) return false;
    for (let i = 0; i < this.marker.length; i++) if (b[s + i] !== this.marker[i]) return false;
    return true;
  }

  private endModule(atMarker: boolean): void {
    let output = Buffer.concat(this.ir).toString('utf8');
    // As a plain split on the marker line would: the newline before a marker belongs to the marker.
    if (atMarker && output.endsWith('\n')) output = output.slice(0, -1);
    this.modules.push({ output, features: this.features, endedAt: performance.now() });
    this.ir = [];
    this.features = new Map();
    this.passes.length = 0;
    this.continuing = false;
  }

  private count(feature: string): void {
    this.features.set(feature, (this.features.get(feature) ?? 0) + 1);
  }

  /** One record after its `[thread T] `: `begins (no breakpoint) Action ...`. */
  private record(head: string): void {
    const a = head.indexOf(' Action ');
    if (a < 0) return;
    const p = a + 8;
    if (head.startsWith('`apply-pattern pattern: ', p)) this.pattern(head, p + 24);
    else if (head.startsWith('`pass-execution` running `', p)) {
      const q = p + 26;
      const end = head.indexOf('`', q);
      const name = end < 0 ? head.slice(q) : head.slice(q, end);
      this.passes.push(name);
      // The adaptor only runs nested passes; they are counted themselves.
      if (name !== 'mlir::detail::OpToOpPassAdaptor') this.count(`pass:${name}`);
    } else if (head.startsWith('GreedyPatternRewriteIteration(', p)) {
      const q = p + 30;
      const end = head.indexOf(')', q);
      const pass = this.passes[this.passes.length - 1] ?? '?';
      this.count(`iter:${pass}:${head.slice(q, end < 0 ? q : end)}`);
    }
  }

  /** `Name (op text...` from `from`: the name ends at the first ` (` outside template brackets. */
  private pattern(head: string, from: number): void {
    let depth = 0;
    let i = from;
    for (; i < head.length; i++) {
      const c = head.charCodeAt(i);
      if (c === 60) depth++; // <
      else if (c === 62) depth--; // >
      else if (c === 32 && depth <= 0 && head.charCodeAt(i + 1) === 40) {
        // ` (` — unless it is `(anonymous namespace)` inside the name.
        if (!head.startsWith('(anonymous namespace)', i + 1)) break;
      }
    }
    const raw = head.slice(from, i);
    let name = this.names.get(raw);
    if (name === undefined) this.names.set(raw, (name = raw.replace(ANON, '') || '<anonymous>'));
    this.count(`pat:${name}@${opName(head, i + 2)}`);
  }
}

/** The op name in printed op text starting at `from`: `%0:2 = scf.while ...`, `"arith.addi"(...)`, `cf.br ^bb1`. */
export function opName(text: string, from: number): string {
  let i = from;
  if (text.charCodeAt(i) === 37 /* % */) {
    const eq = text.indexOf(' = ', i);
    if (eq < 0) return '?';
    i = eq + 3;
  }
  if (text.charCodeAt(i) === 34 /* " */) {
    const end = text.indexOf('"', i + 1);
    return end < 0 ? '?' : text.slice(i + 1, end);
  }
  let j = i;
  for (; j < text.length; j++) {
    const c = text.charCodeAt(j);
    // Op names are [A-Za-z0-9_.$]: stop at space, `(`, `<`, `{`, `)`, `[`, `:`.
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 36)) break;
  }
  return j > i ? text.slice(i, j) : '?';
}

/**
 * `diag:<severity>:<message>` for the warnings and errors mlir-opt gave a module, the message with what varies
 * between programs stripped: numbers, SSA values and blocks, symbols and quoted names (quoted op names and types
 * stay), shapes, and locations.
 */
export function addDiagnosticFeatures(diagnostics: readonly Diagnostic[], into: FeatureCounts): void {
  for (const d of diagnostics) {
    if (d.severity !== 'error' && d.severity !== 'warning') continue;
    const f = `diag:${d.severity}:${normaliseDiagnostic(d.message)}`;
    into.set(f, (into.get(f) ?? 0) + 1);
  }
}

const OP_NAME = /^[a-z_][\w$]*\.[\w$.]+$/;
const TYPE = /^(?:[isu]\d+|f(?:16|32|64|80|128)|f[468]E\w+|bf16|tf32|index|none|(?:memref|vector|tensor|complex|tuple)<.*>|![\w.]+(?:<.*>)?)$/;

export function normaliseDiagnostic(message: string): string {
  return message
    .replace(/loc\([^)]*\)/g, 'loc')
    .replace(/%[\w$.#:-]+/g, '%')
    .replace(/\^[\w$.-]+/g, '^')
    .replace(/@[\w$.-]+|@"[^"]*"/g, '@')
    .replace(/'([^']*)'/g, (m, s: string) => (OP_NAME.test(s) || TYPE.test(s) ? m : "'?'"))
    .replace(/"[^"]*"/g, '"?"')
    .replace(/(?<=[<\sx,(])(?:\d+|\?)(?=x)/g, 'N')
    .replace(/(?<![\w.])-?(?:0x[\da-fA-F]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)(?![\w])/g, 'N')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}
