// One process serving many programs is the big speed lever (×13 measured), and one program must never cost the
// others their results. This is the one copy of how that works, for every executor and batching tool:
// - a run that stops on a program (a trap, a hang) records it and resumes right after it;
// - a run that fails as a whole (a crash before anything ran, a tool error) splits off the program the tool blamed,
//   or else halves the group, until the culprit stands alone and gets the failure.

/** What one attempt at a group achieved, starting at index `start` of the group. */
export type Attempt<R> =
  /** Results for group indices from `start` up to (not including) `next`, which is where to resume. */
  | { readonly kind: 'progress'; readonly results: ReadonlyMap<number, R>; readonly next: number }
  /** Nothing from `start` on ran. `blamed` is the group index the tool's message names, when it names one. */
  | { readonly kind: 'failed'; readonly failure: R; readonly blamed?: number };

/**
 * Runs `items` in groups of at most `groupLimit`. `attempt(group, start)` runs `group` from `start`; it may be
 * called again on smaller groups after a failure, so it must build whatever the group needs (a merged module).
 */
export async function runResuming<T, R>(
  items: readonly T[],
  groupLimit: number,
  attempt: (group: readonly T[], start: number) => Promise<Attempt<R>>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  const index = new Map(items.map((it, k) => [it, k]));
  const solve = async (group: readonly T[]): Promise<void> => {
    let start = 0;
    while (start < group.length) {
      const a = await attempt(group, start);
      if (a.kind === 'progress') {
        for (const [j, r] of a.results) out[index.get(group[j]!)!] = r;
        if (a.next <= start) throw new Error(`batch runner: no progress at ${start} of ${group.length}`);
        start = a.next;
        continue;
      }
      const rest = group.slice(start);
      if (rest.length === 1) {
        out[index.get(rest[0]!)!] = a.failure;
        return;
      }
      const blamed = a.blamed !== undefined && a.blamed >= start ? group[a.blamed] : undefined;
      if (blamed !== undefined) {
        await solve([blamed]);
        await solve(rest.filter((it) => it !== blamed));
      } else {
        const mid = rest.length >> 1;
        await solve(rest.slice(0, mid));
        await solve(rest.slice(mid));
      }
      return;
    }
  };
  for (let k = 0; k < items.length; k += groupLimit) await solve(items.slice(k, k + groupLimit));
  return out;
}
