// The worker loop on a stand-in check unit whose outcomes are a pure function of the case: the same seed and
// iterations give the same cases, another seed others; seeds are kept by coverage; a wrong result is reported only
// when a second run shows it again. (Real tools can be nondeterministic, e.g. a crash reading freed memory, so the
// loop's own determinism is checked here, apart from theirs.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestCase } from '../../contracts/case.ts';
import type { Finding } from '../../contracts/oracle.ts';
import type { CaseResult } from '../../contracts/reporter.ts';
import { bucketOf } from '../../coverage/buckets.ts';
import { isProgramFeature } from '../../coverage/feature-id.ts';
import { FuzzLoop } from '../../fuzz/fuzz-loop.ts';
import type { SeedRecord, WorkerConfig, WorkerMessage } from '../../fuzz/protocol.ts';
import { seedHits } from '../../fuzz/protocol.ts';
import { blamedSignature, signature } from '../../oracles/signature.ts';
import { SEED_TEMPLATES } from '../../seeds/index.ts';
import { mlirCatalog } from '../../targets/mlir/target.ts';

const config = (seed: number, iterations: number): WorkerConfig => ({
  worker: 0,
  jobs: 1,
  seed,
  iterations,
  firstIteration: 0,
  noFeedback: false,
  backends: ['native'],
  stallLimit: 16,
  floodThreshold: 4,
  timeoutMs: 1000,
  compileTimeoutMs: 1000,
  stepBudget: 1000,
  pool: [],
});

const hash = (s: string): number => [...s].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);

/**
 * Features from the pipeline's passes; a "miscompile" for one pipeline in five, reproducing on odd runs only when
 * `flaky`; with `crashes`, an mlir-opt crash in unexported code (signed by the pipeline) whenever an affine pass runs.
 */
function fakeCheck(opts: { flaky?: boolean; crashes?: boolean } = {}) {
  let runs = 0;
  return async function* (cases: Iterable<TestCase>): AsyncGenerator<CaseResult> {
    for (const c of cases) {
      runs++;
      const features = new Map(c.pipeline.map((s) => [`pass:${s.pass}`, 1 + (hash(c.program.text) % 3)] as const));
      const wrong = hash(mlirCatalog.print(c.pipeline)) % 5 === 0 && (!opts.flaky || runs % 2 === 1);
      const findings: Finding[] = wrong ? [{ kind: 'miscompile', executor: 'native', detail: 'x', tool: 'mlir-runner', frames: [], agreeing: [], signature: `miscompile|native|${c.pipeline.map((s) => s.pass).join(',')}|memref.store`, op: 'memref.store' }] : [];
      if (opts.crashes && c.pipeline.some((s) => s.pass.startsWith('affine-'))) {
        const frames = ['libMLIR.so', 'mlir::detail::OpToOpPassAdaptor::run'];
        findings.push({ kind: 'crash', executor: 'native', detail: 'SIGSEGV', tool: 'mlir-opt', frames, agreeing: [], signature: signature({ kind: 'crash', tool: 'mlir-opt', frames, passes: c.pipeline.map((s) => s.pass) }) });
      }
      const reference = { kind: 'ok', buffers: [], stdout: new Uint8Array(), taint: [], opsExecuted: new Set<string>(), steps: 1, ms: {} } as const;
      yield { case: c, reference, referenceLayout: { indexBits: 64 }, outcomes: new Map(), features, findings };
    }
  };
}

async function campaign(seed: number, iterations: number, check = fakeCheck(), blame = (_f: Finding, pass: string) => `miscompile|native|${pass}|memref.store`, received?: () => readonly SeedRecord[]) {
  const messages: WorkerMessage[] = [];
  const cases: string[] = [];
  const runCases = (cs: Iterable<TestCase>) =>
    check(
      (function* () {
        for (const c of cs) {
          // Second runs of a suspected miscompile, and its pipeline's prefixes, are not new cases.
          if (!/:(?:again|prefix\d+)$/.test(c.name)) cases.push(`${mlirCatalog.print(c.pipeline)}\n${c.inputSeed}\n${c.program.text}`);
          yield c;
        }
      })(),
    );
  const initialPrograms = SEED_TEMPLATES.slice(0, 6).map((t) => t.instantiate());
  await new FuzzLoop(config(seed, iterations), { runCases, catalog: mlirCatalog, initialPrograms, send: (m) => messages.push(m), stopped: () => false, blame, ...(received && { received }) }).run();
  return { cases, messages };
}

test('the same seed and iterations give the same cases; another seed gives others', async () => {
  const a = await campaign(7, 120);
  const b = await campaign(7, 120);
  const c = await campaign(8, 120);
  assert.equal(a.cases.length, 120);
  assert.deepEqual(a.cases, b.cases);
  assert.notDeepEqual(a.cases.slice(40), c.cases.slice(40));
  const lineages = a.messages.flatMap((m) => (m.type === 'seed' ? [m.seed.lineage] : []));
  assert.ok(lineages.some((l) => l.includes('>')), `mutants were kept as seeds: ${lineages.slice(0, 5).join(', ')}`);
  const pipelines = new Set(a.cases.map((t) => t.split('\n')[0]));
  assert.ok(pipelines.size >= 2 && pipelines.size <= 120 / 8 + 1, `cases share pipelines in rounds of 8 (${pipelines.size} distinct)`);
});

test('a wrong result is reported only when a second run shows it', async () => {
  const steady = await campaign(3, 400);
  const reported = steady.messages.filter((m) => m.type === 'finding');
  assert.ok(reported.length > 0, 'a reproducible miscompile is reported');
  for (const m of reported) {
    if (m.type !== 'finding') continue;
    const { finding } = m.report;
    assert.equal(m.report.signature, `miscompile|native|${finding.pass}|memref.store`, 'signed with the first bad pass, not the pipeline');
    assert.ok(finding.pass === '' || m.report.case.pipeline.includes(finding.pass!), `${finding.pass} is a pass of ${m.report.case.pipeline}`);
  }
  const flaky = await campaign(3, 400, fakeCheck({ flaky: true }));
  const progress = flaky.messages.flatMap((m) => (m.type === 'progress' ? [m.delta.unconfirmed] : []));
  assert.ok(progress.reduce((x, y) => x + y, 0) > 0, 'unconfirmed results are counted');
  assert.deepEqual(flaky.messages.filter((m) => m.type === 'finding'), [], 'a result the second run does not show is never reported');
});

test('a finding is confirmed and bisected while the campaign goes on', async () => {
  const check = fakeCheck();
  let main = 0;
  let mainAtGate = -1;
  let releasedBy = '';
  let release!: (by: string) => void;
  const gate = new Promise<void>((resolve) => (release = (by) => ((releasedBy ||= by), resolve())));
  const timer = setTimeout(() => release('timeout'), 3000);
  // The first reproduction waits until the campaign has judged three more cases (or 3 s, when it cannot).
  const gated = async function* (cases: Iterable<TestCase>): AsyncGenerator<CaseResult> {
    for await (const r of check(cases)) {
      if (/:(?:again|prefix\d+)$/.test(r.case.name)) {
        if (mainAtGate < 0) mainAtGate = main;
        await gate;
      } else if (mainAtGate >= 0 && ++main >= mainAtGate + 3) release('progress');
      else if (mainAtGate < 0) main++;
      yield r;
    }
  };
  const { messages } = await campaign(3, 400, gated);
  clearTimeout(timer);
  assert.ok(mainAtGate >= 0, 'a wrong result was reproduced');
  assert.equal(releasedBy, 'progress', 'cases went on while the reproduction waited');
  assert.ok(messages.some((m) => m.type === 'finding'), 'and the finding was still reported');
});

test('a crash signed by its pipeline is signed by its first bad pass instead, so one bug is one finding', async () => {
  const { messages } = await campaign(5, 400, fakeCheck({ crashes: true }), blamedSignature);
  const crashes = messages.flatMap((m) => (m.type === 'finding' && m.report.finding.kind === 'crash' ? [m.report] : []));
  assert.ok(crashes.length > 0, 'pipelines with an affine pass crashed');
  for (const r of crashes) {
    const first = mlirCatalog.parse(r.case.pipeline).find((s) => s.pass.startsWith('affine-'))!.pass;
    assert.equal(r.finding.pass, first, `the first affine pass of ${r.case.pipeline}`);
    assert.equal(r.signature, `crash|mlir-opt|libMLIR.so < mlir::detail::OpToOpPassAdaptor::run|${first}`);
  }
  const pipelines = new Set(crashes.map((r) => r.case.pipeline));
  const signatures = new Set(crashes.map((r) => r.signature));
  assert.ok(signatures.size < pipelines.size, `${pipelines.size} crashing pipelines, ${signatures.size} signatures`);
});

test('a case is kept exactly when it reaches a new compiler (feature, bucket) pair; its program shape is recorded, not counted', async () => {
  const seen = new Set<string>();
  const reaching = new Set<string>();
  const check = fakeCheck();
  const key = (text: string, inputSeed: number) => `${inputSeed}\n${text}`;
  const recording = async function* (cases: Iterable<TestCase>): AsyncGenerator<CaseResult> {
    for await (const r of check(cases)) {
      if (!/:(?:again|prefix\d+)$/.test(r.case.name)) {
        let fresh = false;
        for (const [name, n] of r.features ?? []) {
          const pair = `${name}#${bucketOf(n)}`;
          if (!seen.has(pair)) (fresh = true), seen.add(pair);
        }
        if (fresh) reaching.add(key(r.case.program.text, r.case.inputSeed));
      }
      yield r;
    }
  };
  const { messages } = await campaign(11, 200, recording);
  const seeds = messages.flatMap((m) => (m.type === 'seed' ? [m.seed] : []));
  // Every case here has a program shape of its own, so a loop that kept cases for their shape would keep them all.
  assert.ok(seeds.length > 0 && seeds.length < 100, `${seeds.length} seeds of 200 cases`);
  assert.deepEqual(new Set(seeds.map((s) => key(s.text, s.inputSeed))), reaching, 'the kept cases are the ones with compiler news');
  for (const s of seeds) {
    const ids = s.hits.filter((_, k) => k % 2 === 0);
    assert.ok(ids.some(isProgramFeature) && ids.some((id) => !isProgramFeature(id)), `seed ${s.key} records its program shape beside its compiler features`);
  }
});

test('pairs only broken cases reached stay unreached: the first clean case to reach them is kept (AFL keeps crash coverage apart)', async () => {
  // Every case hits one feature; the first ten runs crash mlir-opt, the rest are clean.
  let runs = 0;
  const check = async function* (cases: Iterable<TestCase>): AsyncGenerator<CaseResult> {
    for (const c of cases) {
      const frames = ['libMLIR.so', 'mlir::Pattern::match'];
      const findings: Finding[] = ++runs <= 10 ? [{ kind: 'crash', executor: 'native', detail: 'SIGSEGV', tool: 'mlir-opt', frames, agreeing: [], signature: signature({ kind: 'crash', tool: 'mlir-opt', frames, passes: [] }) }] : [];
      const reference = { kind: 'ok', buffers: [], stdout: new Uint8Array(), taint: [], opsExecuted: new Set<string>(), steps: 1, ms: {} } as const;
      yield { case: c, reference, referenceLayout: { indexBits: 64 }, outcomes: new Map(), features: new Map([['pat:Fold:arith.addi', 1]]), findings };
    }
  };
  const { messages } = await campaign(3, 40, check);
  assert.equal(messages.filter((m) => m.type === 'finding').length, 10);
  const seeds = messages.flatMap((m) => (m.type === 'seed' ? [m.seed] : []));
  assert.equal(seeds.length, 1, 'the first clean case reached the pair, and only it was kept');
});

test("seeds another worker kept count as reached: a worker keeps a case only for a pair none of them has", async () => {
  const other = (await campaign(11, 200)).messages.flatMap((m) => (m.type === 'seed' ? [m.seed] : []));
  const known = new Set(other.flatMap((s) => [...seedHits(s)].map(([id, n]) => `${id}#${bucketOf(n)}`)));
  let calls = 0;
  const { messages } = await campaign(12, 200, fakeCheck(), undefined, () => (calls++ === 0 ? other : []));
  const mine = messages.flatMap((m) => (m.type === 'seed' ? [m.seed] : []));
  assert.ok(other.length > 0 && mine.length > 0, `${other.length} seeds received, ${mine.length} kept`);
  for (const s of mine) assert.ok([...seedHits(s)].some(([id, n]) => !isProgramFeature(id) && !known.has(`${id}#${bucketOf(n)}`)), `seed ${s.key} reaches a pair the received seeds had not`);
  const alone = (await campaign(12, 200)).messages.filter((m) => m.type === 'seed').length;
  assert.ok(mine.length < alone, `kept ${mine.length} with the other worker's seeds, ${alone} without`);
});

test('a case that cannot be made (here a seed program that does not parse) is reported once and skipped; the campaign goes on', async () => {
  const messages: WorkerMessage[] = [];
  const initialPrograms = [{ name: 'broken', text: 'func.func @main( {' }, ...SEED_TEMPLATES.slice(0, 2).map((t) => t.instantiate())];
  const ran: string[] = [];
  const runCases = (cs: Iterable<TestCase>) =>
    fakeCheck()(
      (function* () {
        for (const c of cs) yield (ran.push(c.name), c);
      })(),
    );
  await new FuzzLoop(config(4, 40), { runCases, catalog: mlirCatalog, initialPrograms, send: (m) => messages.push(m), stopped: () => false, blame: (_f, p) => p }).run();
  const errors = messages.flatMap((m) => (m.type === 'error' ? [m.message] : []));
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0]!, /^making case 0: /);
  assert.equal(ran.filter((n) => !/:(?:again|prefix\d+)$/.test(n)).length, 39, 'every other case ran');
});
