// Corpus.importPool reads back what exportPool wrote: each seed's program, pipeline, input seed and origin as the pool
// of a campaign of its own; the same content imported twice is one campaign; a broken export stores nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CorpusError, openCorpus } from '../../corpus/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-import-pool-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A store whose campaign has three live seeds, exported to `out`; returns what the seeds were. */
function exported(out: string) {
  const c = openCorpus(join(dir, 'source.db'), { create: true });
  const campaign = c.startCampaign({ seed: 1, config: {}, toolchain: {} });
  for (let i = 0; i < 3; i++) {
    const kase = c.storeCase({ text: `module {\n  // ${i}\n}\n`, pipeline: `builtin.module(canonicalize{max-iterations=${i + 1}})`, inputSeed: 40 + i, campaign, seedName: `gen:1:${i}`, ...(i && { lineage: 'insert-subtree' }) });
    c.addSeed({ campaign, case: kase, features: [i] });
  }
  c.exportPool(campaign, out);
  const seeds = c.seeds(campaign).map((s) => [s.case.program.text, s.case.pipeline.text, s.case.inputSeed, s.case.program.seedName, s.case.program.lineage]);
  c.close();
  return seeds;
}

test('an exported pool becomes the pool of a campaign of its own, once', () => {
  const out = join(dir, 'export');
  const seeds = exported(out);
  const c = openCorpus(join(dir, 'target.db'), { create: true });
  const first = c.importPool(out);
  assert.deepEqual([first.seeds, first.isNew], [3, true]);
  const campaign = c.campaign(first.campaign)!;
  assert.deepEqual([campaign.status, campaign.summary], ['done', { importedFrom: out, seeds: 3 }]);
  assert.deepEqual(c.seeds(first.campaign).map((s) => [s.case.program.text, s.case.pipeline.text, s.case.inputSeed, s.case.program.seedName, s.case.program.lineage]), seeds);
  assert.deepEqual(c.importPool(out), { campaign: first.campaign, seeds: 3, isNew: false });
  assert.equal(c.seeds(first.campaign).length, 3);
  c.close();
});

test('a folder that is not a readable export is refused and nothing is stored', () => {
  const c = openCorpus(join(dir, 'refusing.db'), { create: true });
  const refused = (folder: string, why: RegExp) =>
    assert.throws(() => c.importPool(folder), (e: unknown) => e instanceof CorpusError && e.problem === 'import' && why.test(e.message));
  refused(join(dir, 'nothing-here'), /cannot read pool\.json/);
  const broken = join(dir, 'broken');
  exported(broken);
  unlinkSync(join(broken, 'seed-0002.mlir'));
  refused(broken, /cannot read seed-0002\.mlir/);
  writeFileSync(join(broken, 'pool.json'), '{"seeds": [{"program": "../source.db", "pipeline": "x", "inputSeed": 1}]}');
  refused(broken, /names '\.\.\/source\.db'/);
  writeFileSync(join(broken, 'pool.json'), '{"seeds": [{"program": "seed-0001.mlir"}]}');
  refused(broken, /lacks program, pipeline or an integer inputSeed/);
  writeFileSync(join(broken, 'pool.json'), 'not json');
  refused(broken, /not JSON/);
  assert.equal(c.lastCampaign(), undefined);
  c.close();
});
