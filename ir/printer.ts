// Prints IR in MLIR's generic op form, which mlir-opt always accepts whatever the op's custom syntax is.
import { printDictEntries } from './attributes.ts';
import { Operation } from './core.ts';
import type { Block, Region, Value } from './core.ts';
import { fn, printType } from './types.ts';

class Namer {
  private readonly values = new Map<Value, string>();
  private readonly blocks = new Map<Block, string>();
  private next = 0;
  private nextArg = 0;

  /** `%5 = `, `%5:2 = ` or nothing. Names are given on first mention, which may be a use in an earlier block. */
  resultPrefix(op: Operation): string {
    const n = op.results.length;
    if (n === 0) return '';
    const first = this.value(op.results[0]!);
    return n === 1 ? `${first} = ` : `${first.slice(0, first.indexOf('#'))}:${n} = `;
  }
  value(v: Value): string {
    let n = this.values.get(v);
    if (n === undefined) {
      const owner = v.owner;
      if (owner instanceof Operation) {
        const base = `%${this.next++}`;
        owner.results.forEach((r, k) => this.values.set(r, owner.results.length === 1 ? base : `${base}#${k}`));
      } else {
        for (const a of owner.args) this.values.set(a, `%arg${this.nextArg++}`);
      }
      n = this.values.get(v)!;
    }
    return n;
  }
  nameBlocks(r: Region): void {
    r.blocks.forEach((b, k) => this.blocks.set(b, `^bb${k}`));
  }
  block(b: Block): string {
    const n = this.blocks.get(b);
    if (n === undefined) throw new Error('printer: successor block is not in the printed IR');
    return n;
  }
}

export function printOp(op: Operation): string {
  const out: string[] = [];
  emitOp(op, new Namer(), '', out);
  return out.join('\n') + '\n';
}

function emitOp(op: Operation, namer: Namer, indent: string, out: string[]): void {
  let line = indent + namer.resultPrefix(op) + `"${op.name}"(${op.operands.map((v) => namer.value(v)).join(', ')})`;
  if (op.successors.length) line += `[${op.successors.map((b) => namer.block(b)).join(', ')}]`;
  if (Object.keys(op.props).length) line += ` <{${printDictEntries(op.props)}}>`;
  const sig = printType(fn(op.operands.map((v) => v.type), op.results.map((r) => r.type)));
  const tail = (Object.keys(op.attrs).length ? ` {${printDictEntries(op.attrs)}}` : '') + ` : ${sig}`;
  if (op.regions.length === 0) {
    out.push(line + tail);
    return;
  }
  out.push(line + ' ({');
  op.regions.forEach((r, k) => {
    emitRegion(r, namer, indent, out);
    out.push(indent + (k < op.regions.length - 1 ? '}, {' : '})' + tail));
  });
}

function emitRegion(r: Region, namer: Namer, indent: string, out: string[]): void {
  namer.nameBlocks(r);
  r.blocks.forEach((b, k) => {
    if (k > 0 || b.args.length > 0) {
      const args = b.args.map((a) => `${namer.value(a)}: ${printType(a.type)}`).join(', ');
      out.push(`${indent}${namer.block(b)}${args ? `(${args})` : ''}:`);
    }
    for (const op of b.ops) emitOp(op, namer, indent + '  ', out);
  });
}
