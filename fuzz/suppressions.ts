// Known bugs a user silences, as sanitizer suppression files do. One entry per line: an exact signature, or
// `/regex/` matched against the signature and the finding's one-line detail. `#` starts a comment.
export type Suppressions = { matches(signature: string, detail: string): boolean; readonly size: number };

export class SuppressionSyntaxError extends Error {}

export function parseSuppressions(text: string, file: string): Suppressions {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  text.split('\n').forEach((raw, k) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const re = /^\/(.*)\/([imsu]*)$/.exec(line);
    if (!re) return void exact.add(line);
    try {
      patterns.push(new RegExp(re[1]!, re[2]));
    } catch (e) {
      throw new SuppressionSyntaxError(`${file}:${k + 1}: bad regular expression ${line}: ${(e as Error).message}`);
    }
  });
  return {
    size: exact.size + patterns.length,
    matches: (signature, detail) => exact.has(signature) || patterns.some((p) => p.test(signature) || p.test(detail)),
  };
}
