// An exported pool read back (export-pool.ts wrote it): every seed's case, checked before anything is stored.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CaseContent } from '../contracts/corpus.ts';
import { CorpusError } from './corpus-error.ts';
import { MANIFEST } from './export-pool.ts';

export type ReadPool = {
  readonly seeds: readonly CaseContent[];
  /** Of the seeds' content, so a folder imported twice (or copied elsewhere) is known by it. */
  readonly digest: string;
};

export function readPool(dir: string): ReadPool {
  const fail = (why: string): never => {
    throw new CorpusError(dir, 'import', why);
  };
  const read = (name: string): string => {
    // The manifest names files beside it, never a path elsewhere.
    if (basename(name) !== name) fail(`${MANIFEST} names '${name}', not a file of the export`);
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch (e) {
      return fail(`cannot read ${name}: ${(e as Error).message}`);
    }
  };
  let manifest: unknown;
  try {
    manifest = JSON.parse(read(MANIFEST));
  } catch (e) {
    if (e instanceof CorpusError) throw e;
    fail(`${MANIFEST} is not JSON: ${(e as Error).message}`);
  }
  const listed = (manifest as { seeds?: unknown } | null)?.seeds;
  if (!Array.isArray(listed)) return fail(`${MANIFEST} has no "seeds" list`);
  const seeds = listed.map((s: Record<string, unknown>, i): CaseContent => {
    if (typeof s?.program !== 'string' || typeof s.pipeline !== 'string' || !Number.isSafeInteger(s.inputSeed)) {
      fail(`seed ${i + 1} of ${MANIFEST} lacks program, pipeline or an integer inputSeed`);
    }
    return {
      text: read(s.program as string),
      pipeline: read(s.pipeline as string).replace(/\n$/, ''), // exportPool ends the file with one
      inputSeed: s.inputSeed as number,
      ...(typeof s.name === 'string' && { seedName: s.name }),
      ...(typeof s.lineage === 'string' && { lineage: s.lineage }),
    };
  });
  return { seeds, digest: createHash('sha256').update(JSON.stringify(seeds)).digest('hex') };
}
