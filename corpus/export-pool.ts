// A pool as plain files, for people and for `tcfuzz check`: each seed's program and pipeline side by side, and a
// manifest with what the files cannot say (input seed, origin).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportedSeed, Seed } from '../contracts/corpus.ts';
import { CorpusError } from './corpus-error.ts';

export const MANIFEST = 'pool.json';
const EXPORTED = /^seed-\d+\.(mlir|pipeline)$/;

/** Writes `seed-0001.mlir` + `seed-0001.pipeline`, … and `pool.json` into `dir`; never over an earlier export. */
export function writePool(dir: string, seeds: readonly Seed[]): ExportedSeed[] {
  if (existsSync(dir) && readdirSync(dir).some((n) => n === MANIFEST || EXPORTED.test(n))) {
    throw new CorpusError(dir, 'export', 'already holds an exported pool; export into a new folder');
  }
  mkdirSync(dir, { recursive: true });
  const width = Math.max(4, String(seeds.length).length);
  const exported = seeds.map((s, i): ExportedSeed => {
    const base = `seed-${String(i + 1).padStart(width, '0')}`;
    const program = `${base}.mlir`;
    const pipeline = `${base}.pipeline`;
    writeFileSync(join(dir, program), s.case.program.text);
    writeFileSync(join(dir, pipeline), s.case.pipeline.text + '\n');
    const p = s.case.program;
    return { seed: s.id, program, pipeline, inputSeed: s.case.inputSeed, ...(p.seedName && { name: p.seedName }), ...(p.lineage && { lineage: p.lineage }) };
  });
  writeFileSync(join(dir, MANIFEST), JSON.stringify({ seeds: exported }, null, 1) + '\n');
  return exported;
}
