// The repo's own files, for the tests that check the repo itself (architecture, READMEs).
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** Installed packages and build outputs: not ours. Hidden folders (.git, .tcfuzz) are skipped too. */
const NOT_OURS = new Set(['node_modules', 'build', 'out']);

export type RepoEntry = { readonly path: string; readonly name: string; readonly isDir: boolean };

/** Every file and folder below `dir`, as absolute paths. */
export function repoEntries(dir = REPO_ROOT): RepoEntry[] {
  const out: RepoEntry[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || NOT_OURS.has(e.name)) continue;
    const path = join(dir, e.name);
    out.push({ path, name: e.name, isDir: e.isDirectory() });
    if (e.isDirectory()) out.push(...repoEntries(path));
  }
  return out;
}

/** Files below `dir` whose name passes `accept`, as absolute paths. */
export function repoFiles(accept: (name: string) => boolean, dir = REPO_ROOT): string[] {
  return repoEntries(dir)
    .filter((e) => !e.isDir && accept(e.name))
    .map((e) => e.path);
}

/** `a/b.ts` for an absolute path inside the repo, whatever the platform's separator. */
export function repoPath(p: string): string {
  return relative(REPO_ROOT, p).split(sep).join('/');
}
