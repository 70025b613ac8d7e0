// The only file that names compilers under test. Adding one is a folder under targets/ and a line here.
import type { Reference } from '../contracts/reference.ts';
import type { Executor, Target } from '../contracts/target.ts';
import { interpreter } from '../reference/reference.ts';
import { mlirTarget } from './mlir/target.ts';

const targets: Target[] = [mlirTarget];

/** The reference every executor is compared with; on the command line it is one more backend name. */
export const reference: Reference = interpreter;

/** Adds a target (a plugin, or a test's throwaway one). Executor names stay unique across targets. */
export function registerTarget(t: Target): void {
  for (const name of t.executors) {
    if (name === reference.name || targetOf(name)) throw new Error(`executor name '${name}' is already taken`);
  }
  targets.push(t);
}

export function unregisterTarget(t: Target): void {
  const k = targets.indexOf(t);
  if (k >= 0) targets.splice(k, 1);
}

/** Every name `--backends` accepts: the reference first, then each target's executors. */
export function backendNames(): string[] {
  return [reference.name, ...targets.flatMap((t) => t.executors)];
}

export function targetOf(executor: string): Target | undefined {
  return targets.find((t) => t.executors.includes(executor));
}

export function createExecutor(name: string): Executor {
  const t = targetOf(name);
  if (!t) throw new Error(`unknown backend '${name}' (known: ${backendNames().join(', ')})`);
  return t.createExecutor(name);
}

/** `a,b,c` → distinct known names, in order; throws a one-line message for anything else. */
export function parseBackendList(text: string): string[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new Error('--backends needs at least one name');
  const known = backendNames();
  for (const n of names) if (!known.includes(n)) throw new Error(`unknown backend '${n}' (known: ${known.join(', ')})`);
  return [...new Set(names)];
}
