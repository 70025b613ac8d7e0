// The report model of a small store made through the Corpus API (sample-store.ts): campaigns with their series,
// findings with their reproducers, totals, and the pass × op heat maps counted by hand; and the op-name scan they
// rest on, checked against tcfuzz's parser.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openCorpus } from '../../corpus/index.ts';
import { parseModule } from '../../ir/parser/index.ts';
import { generateFromSeed, programSeed, programText } from '../../mutators/generate/index.ts';
import { heatMap, passNames } from '../../reports/heat-map.ts';
import { buildReportModel, type ReportModel } from '../../reports/model.ts';
import { opNames } from '../../reports/op-names.ts';
import { seedPrograms } from '../../seeds/index.ts';
import { mlirCatalog } from '../../targets/mlir/target.ts';
import { CUSTOM, GENERIC, HOSTILE_DETAIL, PIPELINE_A, PIPELINE_B, sampleStore } from './sample-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-report-model-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const GENERIC_OPS = ['arith.addi', 'arith.constant', 'func.func', 'func.return', 'memref.load', 'memref.store'];
const CUSTOM_OPS = ['arith.constant', 'arith.mulf', 'func.func', 'memref.load', 'memref.store'];
const sorted = (s: Iterable<string>): string[] => [...s].sort();

let stores = 0;
function sampleModel(): ReportModel {
  const path = join(dir, `sample-${++stores}.db`);
  sampleStore(path);
  const corpus = openCorpus(path, { readonly: true });
  try {
    return buildReportModel(corpus, mlirCatalog, 42);
  } finally {
    corpus.close();
  }
}

test('op names: the scan finds what the parser does, on generated programs and every seed template', () => {
  const programs = [
    ...Array.from({ length: 40 }, (_, k) => programText(generateFromSeed(programSeed(5, k)))),
    ...seedPrograms().map((s) => s.text),
  ];
  for (const text of programs) {
    const parsed = new Set([...parseModule(text, '<test>').walk()].map((op) => op.name));
    parsed.delete('builtin.module');
    assert.deepEqual(sorted(opNames(text)), sorted(parsed), text);
  }
});

test('op names: custom syntax too, and none from comments', () => {
  assert.deepEqual(sorted(opNames(GENERIC)), GENERIC_OPS);
  assert.deepEqual(sorted(opNames(CUSTOM)), CUSTOM_OPS);
  assert.deepEqual(sorted(opNames('// scf.for in a comment\n%0:2 = scf.while (%a = %b) : (i32) -> i32 {\n')), ['scf.while']);
});

test('pass names: every step of a pipeline once, none from one the catalog cannot read', () => {
  assert.deepEqual(sorted(passNames(PIPELINE_A, mlirCatalog)), ['canonicalize', 'cse', 'inline']);
  assert.deepEqual(sorted(passNames('builtin.module(func.func(cse,cse))', mlirCatalog)), ['cse']);
  assert.deepEqual(sorted(passNames('builtin.module(func.func(cse', mlirCatalog)), []);
});

test('a heat map counts each case once per (pass, op) pair and keeps the most frequent rows and columns', () => {
  const cases = [{ program: GENERIC, pipeline: PIPELINE_A }, { program: CUSTOM, pipeline: PIPELINE_B }];
  assert.deepEqual(heatMap(cases, mlirCatalog), {
    passes: ['cse', 'canonicalize', 'inline'],
    ops: ['arith.constant', 'func.func', 'memref.load', 'memref.store', 'arith.addi', 'arith.mulf', 'func.return'],
    counts: [[2, 2, 2, 2, 1, 1, 1], [1, 1, 1, 1, 1, 0, 1], [1, 1, 1, 1, 1, 0, 1]],
    cases: 2,
    allPasses: 3,
    allOps: 7,
  });
  assert.deepEqual(heatMap(cases, mlirCatalog, 2), { passes: ['cse', 'canonicalize'], ops: ['arith.constant', 'func.func'], counts: [[2, 2], [1, 1]], cases: 2, allPasses: 3, allOps: 7 });
  assert.deepEqual(heatMap([], mlirCatalog), { passes: [], ops: [], counts: [], cases: 0, allPasses: 0, allOps: 0 });
});

test('the model: campaigns with their series and live pools, findings with their cases, totals', () => {
  const m = sampleModel();
  assert.equal(m.generatedAt, 42);
  assert.deepEqual(m.campaigns.map((c) => [c.id, c.seed, c.status, c.stats.map((s) => s.cases), c.poolSize, c.findings]), [
    [1, 7, 'done', [10, 30], 2, 2],
    [2, 8, 'interrupted', [12], 1, 1],
    [3, 9, 'running', [], 0, 0],
  ]);
  assert.deepEqual(m.campaigns[0]!.stats[1], { t: 10_000, cases: 30, features: 150, seeds: 2, findingsByKind: { crash: 1, miscompile: 1 }, ubDiscarded: 2, casesPerS: 3 });
  assert.deepEqual(m.totals, {
    campaigns: 3, cases: 42, findings: 2, sightings: 3,
    byKind: [{ kind: 'crash', findings: 1, sightings: 2 }, { kind: 'miscompile', findings: 1, sightings: 1 }],
  });
  const [crash, miscompile] = m.findings;
  assert.deepEqual([crash!.kind, crash!.count, crash!.detail, crash!.status, crash!.reduced], ['crash', 2, HOSTILE_DETAIL, 'new', undefined]);
  assert.deepEqual([crash!.reproducer.program, crash!.reproducer.pipeline, crash!.reproducer.inputSeed], [GENERIC, PIPELINE_A, 1]);
  assert.ok(crash!.lastSeen > crash!.firstSeen);
  assert.deepEqual([miscompile!.status, miscompile!.op, miscompile!.reproducer.pipeline, miscompile!.reduced?.program], ['confirmed', 'arith.addi', PIPELINE_B, CUSTOM]);
});

test('the heat maps: by coverage over the live pools (a case two pools keep counts once), by findings over the reproducers', () => {
  const { coverage, findings } = sampleModel().heatMaps;
  // Live: (GENERIC, A) in both pools, (CUSTOM, B); the culled (GENERIC, B) is out.
  assert.deepEqual([coverage.cases, coverage.passes, coverage.counts[0]], [2, ['cse', 'canonicalize', 'inline'], [2, 2, 2, 2, 1, 1, 1]]);
  // Reproducers: (GENERIC, A) and the culled (GENERIC, B): every op of GENERIC under cse twice, the rest once.
  assert.deepEqual([findings.cases, findings.passes, findings.ops], [2, ['cse', 'canonicalize', 'inline'], GENERIC_OPS]);
  assert.deepEqual(findings.counts, [[2, 2, 2, 2, 2, 2], [1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]]);
});

test('an empty store gives an empty model', () => {
  const path = join(dir, 'empty.db');
  openCorpus(path, { create: true }).close();
  const corpus = openCorpus(path, { readonly: true });
  try {
    const m = buildReportModel(corpus, mlirCatalog, 1);
    assert.deepEqual([m.campaigns, m.findings, m.totals], [[], [], { campaigns: 0, cases: 0, findings: 0, sightings: 0, byKind: [] }]);
    assert.equal(m.heatMaps.coverage.cases, 0);
  } finally {
    corpus.close();
  }
});
