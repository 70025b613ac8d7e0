// A pipeline is a flat list of pass steps, each saying whether it runs on the module or on every func.func.
// It prints to the exact `--pass-pipeline='builtin.module(...)'` string mlir-opt takes, and parses that string back.
import { defaultNesting, passSpec } from './catalog.ts';

export type OptionValue = boolean | number | string | readonly number[];
export type Nesting = 'builtin.module' | 'func.func';

export type PassStep = {
  readonly pass: string;
  readonly options?: Readonly<Record<string, OptionValue>>;
  readonly on: Nesting;
};

export type Pipeline = readonly PassStep[];

export class PipelineSyntaxError extends Error {
  constructor(
    message: string,
    readonly text: string,
    readonly pos: number,
  ) {
    super(`${message} at offset ${pos} in pipeline '${text}'`);
    this.name = 'PipelineSyntaxError';
  }
}

/** A step for a catalog pass, nested where the catalog says, with the options the pass requires. */
export function step(pass: string, options: Record<string, OptionValue> = {}, on?: Nesting): PassStep {
  const spec = passSpec(pass);
  const nesting = on ?? (spec ? defaultNesting(spec) : 'builtin.module');
  const merged = { ...(spec?.required ?? {}), ...options };
  return Object.keys(merged).length > 0 ? { pass, options: merged, on: nesting } : { pass, on: nesting };
}

const SIMPLE = /^[\w.,:+/-]+$/;

function printValue(v: OptionValue): string {
  if (Array.isArray(v)) return v.join(',');
  if (typeof v === 'string') return SIMPLE.test(v) ? v : `"${v.replace(/"/g, '\\"')}"`;
  return String(v);
}

export function printStep(s: PassStep): string {
  const opts = Object.entries(s.options ?? {});
  if (opts.length === 0) return s.pass;
  return `${s.pass}{${opts.map(([k, v]) => `${k}=${printValue(v)}`).join(' ')}}`;
}

/** `builtin.module(func.func(cse,canonicalize{max-iterations=3}),inline,...)`: consecutive func steps share one nest. */
export function printPipeline(p: Pipeline): string {
  const parts: string[] = [];
  let funcRun: string[] = [];
  const flush = (): void => {
    if (funcRun.length > 0) parts.push(`func.func(${funcRun.join(',')})`);
    funcRun = [];
  };
  for (const s of p) {
    if (s.on === 'func.func') funcRun.push(printStep(s));
    else {
      flush();
      parts.push(printStep(s));
    }
  }
  flush();
  return `builtin.module(${parts.join(',')})`;
}

/** The `--pass-pipeline=...` argument. */
export function passPipelineArg(p: Pipeline): string {
  return `--pass-pipeline=${printPipeline(p)}`;
}

/**
 * Parses `builtin.module(a,func.func(b{x=1 y=2}),c)`; the `builtin.module(...)` wrapper may be left out.
 * Option values become booleans, numbers or number lists where they read as such, else strings.
 */
export function parsePipeline(text: string): Pipeline {
  let pos = 0;
  const src = text.trim();
  const fail = (msg: string): never => {
    throw new PipelineSyntaxError(msg, src, pos);
  };
  const ws = (): void => {
    while (pos < src.length && /\s/.test(src[pos]!)) pos++;
  };
  const ident = (): string => {
    ws();
    const m = /^[A-Za-z_][\w.-]*/.exec(src.slice(pos));
    if (!m) fail('expected a pass or op name');
    pos += m![0].length;
    return m![0];
  };
  const rawValue = (): string => {
    ws();
    const c = src[pos];
    if (c === '"') {
      let out = '';
      pos++;
      while (pos < src.length && src[pos] !== '"') {
        if (src[pos] === '\\' && pos + 1 < src.length) pos++;
        out += src[pos++];
      }
      if (src[pos] !== '"') fail('unterminated string');
      pos++;
      return out;
    }
    if (c === '{') {
      // A nested pipeline or dictionary value: keep it verbatim, balancing braces.
      let depth = 0;
      const start = pos;
      do {
        if (src[pos] === '{') depth++;
        else if (src[pos] === '}') depth--;
        pos++;
      } while (pos < src.length && depth > 0);
      if (depth !== 0) fail('unbalanced braces in option value');
      return src.slice(start + 1, pos - 1);
    }
    const start = pos;
    let depth = 0;
    while (pos < src.length) {
      const ch = src[pos]!;
      if (ch === '(' || ch === '[') depth++;
      else if (ch === ')' || ch === ']') depth--;
      else if (depth === 0 && (/\s/.test(ch) || ch === '}')) break;
      pos++;
    }
    return src.slice(start, pos);
  };
  const options = (): Record<string, OptionValue> => {
    const opts: Record<string, OptionValue> = {};
    pos++; // '{'
    for (;;) {
      ws();
      if (src[pos] === '}') {
        pos++;
        return opts;
      }
      if (pos >= src.length) fail("expected '}'");
      const key = ident();
      ws();
      if (src[pos] !== '=') {
        opts[key] = true;
        continue;
      }
      pos++;
      opts[key] = interpretValue(rawValue());
    }
  };
  const elements = (on: Nesting, out: PassStep[]): void => {
    for (;;) {
      const name = ident();
      ws();
      if (src[pos] === '(') {
        // Steps carry one nesting level, so only module → func.func nests are representable.
        if (name !== 'func.func') fail(`unsupported nesting '${name}'`);
        if (on === 'func.func') fail('func.func cannot nest in func.func');
        pos++;
        ws();
        if (src[pos] !== ')') elements('func.func', out);
        ws();
        if (src[pos] !== ')') fail("expected ')'");
        pos++;
      } else {
        const opts = src[pos] === '{' ? options() : undefined;
        out.push(opts && Object.keys(opts).length > 0 ? { pass: name, options: opts, on } : { pass: name, on });
      }
      ws();
      if (src[pos] !== ',') return;
      pos++;
    }
  };
  const out: PassStep[] = [];
  ws();
  if (pos >= src.length) return out;
  const wrapped = /^builtin\.module\s*\(/.test(src);
  if (wrapped) {
    ident();
    ws();
    pos++;
    ws();
    if (src[pos] !== ')') elements('builtin.module', out);
    ws();
    if (src[pos] !== ')') fail("expected ')'");
    pos++;
  } else elements('builtin.module', out);
  ws();
  if (pos < src.length) fail('unexpected trailing text');
  return out;
}

function interpretValue(v: string): OptionValue {
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (/^-?\d+(,-?\d+)+$/.test(v)) return v.split(',').map(Number);
  return v;
}

/** Steps up to and including index `i`: the prefixes first-bad-pass bisection and failure classification run. */
export function prefix(p: Pipeline, i: number): Pipeline {
  return p.slice(0, i + 1);
}

export function concat(...ps: Pipeline[]): Pipeline {
  return ps.flat();
}
