// MLIR's textual pipelines: `builtin.module(cse,func.func(canonicalize{max-iterations=3}),gpu.module(...))`.
// A step's `nest` lists the ops it is nested in below the module, so any nesting mlir-opt accepts is expressible.
import type { OptionValue, PassStep, Pipeline } from '../../../contracts/pipeline.ts';
import { PipelineError } from '../../../contracts/pipeline.ts';
import { defaultNest, passSpec } from './catalog.ts';

export type { OptionValue, PassStep, Pipeline } from '../../../contracts/pipeline.ts';

export class PipelineSyntaxError extends PipelineError {
  constructor(
    message: string,
    readonly text: string,
    readonly pos: number,
  ) {
    super(`${message} at offset ${pos} in pipeline '${text}'`);
  }
}

/** A step for a catalog pass, nested where the catalog says, with the options the pass requires. */
export function step(pass: string, options: Readonly<Record<string, OptionValue>> = {}, nest?: readonly string[]): PassStep {
  const spec = passSpec(pass);
  const where = nest ?? (spec ? defaultNest(spec) : []);
  const merged = { ...(spec?.required ?? {}), ...options };
  return Object.keys(merged).length > 0 ? { pass, options: merged, nest: where } : { pass, nest: where };
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

/** `builtin.module(func.func(cse,canonicalize{max-iterations=3}),inline,...)`: consecutive steps under one op share its nest. */
export function printPipeline(p: Pipeline): string {
  return `builtin.module(${printLevel(p, 0)})`;
}

function printLevel(steps: Pipeline, depth: number): string {
  const parts: string[] = [];
  for (let i = 0; i < steps.length; ) {
    const op = steps[i]!.nest[depth];
    if (op === undefined) {
      parts.push(printStep(steps[i++]!));
      continue;
    }
    let j = i;
    while (j < steps.length && steps[j]!.nest[depth] === op) j++;
    parts.push(`${op}(${printLevel(steps.slice(i, j), depth + 1)})`);
    i = j;
  }
  return parts.join(',');
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
  const elements = (nest: readonly string[], out: PassStep[]): void => {
    for (;;) {
      const name = ident();
      ws();
      if (src[pos] === '(') {
        // An op nest: `func.func(...)`, `gpu.module(...)`. Pass names never contain a dot, op names always do.
        if (!name.includes('.')) fail(`'${name}' is a pass, not an op to nest in`);
        if (nest.includes(name) && name === 'func.func') fail('func.func cannot nest in func.func');
        pos++;
        ws();
        if (src[pos] !== ')') elements([...nest, name], out);
        ws();
        if (src[pos] !== ')') fail("expected ')'");
        pos++;
      } else {
        const opts = src[pos] === '{' ? options() : undefined;
        out.push(opts && Object.keys(opts).length > 0 ? { pass: name, options: opts, nest } : { pass: name, nest });
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
    if (src[pos] !== ')') elements([], out);
    ws();
    if (src[pos] !== ')') fail("expected ')'");
    pos++;
  } else elements([], out);
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
