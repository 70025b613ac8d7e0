// A process tree read from /proc, for tests that check what survives a signal. A process is named by its pid and
// its start time (field 22 of /proc/<pid>/stat), so a recycled pid is never mistaken for the process it replaced.
import { readdirSync, readFileSync } from 'node:fs';

export type Proc = {
  readonly pid: number;
  readonly ppid: number;
  /** Start time in clock ticks after boot: with the pid, the process's identity. */
  readonly start: string;
  /** R, S, D, Z... */
  readonly state: string;
  /** User + system CPU time in clock ticks. */
  readonly cpuTicks: number;
  readonly cmdline: string;
};

export function readProc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: the fields that follow start after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    return { pid, state: f[0]!, ppid: Number(f[1]), cpuTicks: Number(f[11]) + Number(f[12]), start: f[19]!, cmdline };
  } catch {
    return undefined;
  }
}

/** Every process below `root` (not `root` itself), found through parent pids. */
export function descendants(root: number): Proc[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is Proc => p !== undefined);
  const children = new Map<number, Proc[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: Proc[] = [];
  const visit = (pid: number): void => {
    for (const c of children.get(pid) ?? []) {
      out.push(c);
      visit(c.pid);
    }
  };
  visit(root);
  return out;
}

/** Still running: the same process (pid and start time) and not a zombie waiting for a parent to reap it. */
export function survives(p: Proc): boolean {
  const now = readProc(p.pid);
  return now !== undefined && now.start === p.start && now.state !== 'Z' && now.state !== 'X';
}

/** Polls `cond` every 25 ms until it returns a value other than undefined/false; throws after `ms`. */
export async function until<T>(what: string, ms: number, cond: () => T | undefined | false): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = cond();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** SIGKILL for whatever of `procs` still runs (cleanup after a failed test). */
export function killSurvivors(procs: readonly Proc[]): void {
  for (const p of procs) {
    if (!survives(p)) continue;
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
}
