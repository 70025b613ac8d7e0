// All op specs, by name. The parser, verifier, generator and interpreter find ops here.
import type { OpSpec } from './spec.ts';

const specs = new Map<string, OpSpec>();

export function registerOps(list: readonly OpSpec[]): void {
  for (const s of list) {
    if (specs.has(s.name)) throw new Error(`op ${s.name} registered twice`);
    specs.set(s.name, s);
  }
}

export function lookupOp(name: string): OpSpec | undefined {
  return specs.get(name);
}

export function allOps(): OpSpec[] {
  return [...specs.values()];
}
