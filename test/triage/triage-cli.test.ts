// `tcfuzz triage list|show|mark|export` in-process on real SQLite files: findings made through the Corpus API and
// through a real tiny campaign; the exported bug report's commands run with the real tools; every user mistake is
// one line and exit 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FindingRecord } from '../../contracts/corpus.ts';
import { openCorpus } from '../../corpus/index.ts';
import { WASM_VECTOR_LOWERING } from '../../targets/mlir/passes/lowering.ts';
import { findToolchain } from '../../targets/mlir/toolchain.ts';
import { storeContents } from '../corpus/store-contents.ts';
import { toolchainSkip } from '../helpers/toolchain.ts';
import { cli } from '../helpers/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'tcfuzz-triage-'));
after(() => rmSync(root, { recursive: true, force: true }));


/** Exit 2 with one `tcfuzz:` line matching `message`, and no stack trace. */
async function refused(argv: string[], message: RegExp): Promise<void> {
  const r = await cli(argv);
  assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
  assert.match(r.err, /^tcfuzz: /, argv.join(' '));
  assert.match(r.err.split('\n')[0]!, message, argv.join(' '));
  assert.doesNotMatch(r.err, /^\s+at /m, 'a stack trace');
}

const PROGRAM = 'func.func @main(%a: memref<4xf32>) {\n  return\n}\n';
const REDUCED = 'func.func @main() {\n  return\n}\n';
const T0 = Date.UTC(2025, 0, 2, 3, 4);

const CRASH: FindingRecord = {
  kind: 'crash', executor: 'native', tool: 'mlir-opt', stage: 'mlir-opt', pass: 'canonicalize', agreeing: ['wasm'],
  frames: ['mlir::applyPatternsGreedily', 'mlir::Canonicalizer::runOnOperation', 'mlir::detail::OpToOpPassAdaptor::run'],
  detail: 'mlir-opt crashed: Assertion `isa<To>(Val)` failed', signature: 'crash|mlir-opt|mlir::applyPatternsGreedily',
};
const MISCOMPILE: FindingRecord = {
  kind: 'miscompile', executor: 'wasm', tool: 'v8', frames: [], agreeing: [], matchingReference: ['native'], suspect: 'executor', op: 'arith.addf',
  detail: 'arg0[3] f32: 1.5 vs 2.5', difference: { kind: 'buffer', buffer: 0, index: 3, dtype: 'f32', values: ['1.5', '2.5'], tainted: false },
  signature: 'miscompile|wasm|sccp|arith.addf', toolchain: { tcfuzz: '0.1.0', toolchain: '22.1.8' },
};
const PASS_FAILURE: FindingRecord = {
  kind: 'pass-failure', executor: 'native', tool: 'mlir-opt', stage: 'mlir-opt', pass: 'convert-scf-to-cf', frames: [], agreeing: [],
  detail: "mlir-opt pass-failure in convert-scf-to-cf: failed to legalize operation 'scf.while'", signature: 'pass-failure|mlir-opt|convert-scf-to-cf|failed to legalize',
};

/** A store with a crash (seen twice, reduced), a miscompile and a pass failure, on a pinned clock. */
function findingsStore(): string {
  const path = join(root, `api-${Math.random().toString(36).slice(2)}.db`);
  let t = T0;
  const c = openCorpus(path, { create: true, now: () => (t += 60_000) });
  const campaign = c.startCampaign({ seed: 9, config: { backends: ['native', 'wasm'] }, toolchain: { tcfuzz: '0.1.0', toolchain: '22.1.8' } });
  const kase = c.storeCase({ text: PROGRAM, pipeline: 'builtin.module(canonicalize)', inputSeed: 7, campaign, seedName: 'seed:axpy', lineage: 'insert-subtree' });
  const crash = c.recordFinding(CRASH, { case: kase, campaign });
  c.recordFinding(CRASH, { case: kase, campaign });
  c.updateFinding(crash.id, { reducedCase: c.storeCase({ text: REDUCED, pipeline: 'builtin.module(canonicalize)', inputSeed: 7 }) });
  c.recordFinding(MISCOMPILE, { case: c.storeCase({ text: PROGRAM, pipeline: 'builtin.module(sccp)', inputSeed: 11, campaign }), campaign });
  c.recordFinding(PASS_FAILURE, { case: kase, campaign });
  c.close();
  return path;
}

describe('tcfuzz triage on findings made through the Corpus API', () => {
  const db = findingsStore();

  it('list: a table of every finding, filtered by kind and status; --json is the array', async () => {
    const all = await cli(['triage', 'list', '--db', db]);
    assert.equal(all.code, 0, all.err);
    const lines = all.out.trimEnd().split('\n');
    assert.match(lines[0]!, /^ID +KIND +STATUS +COUNT +FIRST SEEN \(UTC\) +LAST SEEN \(UTC\) +PASS +SIGNATURE$/);
    assert.equal(lines.length, 4);
    assert.match(lines[1]!, /^ 1 +crash +new +2 +2025-01-02 03:09 +2025-01-02 03:10 +canonicalize +crash\|mlir-opt\|mlir::applyPatternsGreedily$/);
    assert.match(lines[2]!, /^ 2 +miscompile +new +1 .* - +miscompile\|wasm\|sccp\|arith\.addf$/);

    const miscompiles = await cli(['triage', 'list', '--db', db, '--kind', 'miscompile']);
    assert.deepEqual(miscompiles.out.trimEnd().split('\n').slice(1).map((l) => l.trim().split(/ +/)[0]), ['2']);
    const none = await cli(['triage', 'list', '--db', db, '--status', 'fixed']);
    assert.match(none.out, /^no findings in .* with that kind and status\n$/);

    const json = await cli(['triage', 'list', '--db', db, '--json']);
    const c = openCorpus(db, { readonly: true });
    assert.deepEqual(JSON.parse(json.out), JSON.parse(JSON.stringify(c.findings())));
    c.close();
  });

  it('show: the finding field by field, its case and its reduced case; --json is the same view', async () => {
    const r = await cli(['triage', 'show', '1', '--db', db]);
    assert.equal(r.code, 0, r.err);
    for (const field of [
      /^finding #1: crash, new$/,
      /^signature +crash\|mlir-opt\|mlir::applyPatternsGreedily$/,
      /^executor +native, stage mlir-opt, tool mlir-opt, pass canonicalize$/,
      /^seen +2 times, first 2025-01-02 03:09, last 2025-01-02 03:10 UTC$/,
      /^campaigns +1 \(×2\)$/,
      /^toolchain +tcfuzz 0\.1\.0, toolchain 22\.1\.8$/,
      /^agreeing +wasm$/,
      /^frames\n {2}mlir::applyPatternsGreedily\n {2}mlir::Canonicalizer::runOnOperation$/,
    ]) assert.match(r.out, new RegExp(field.source, 'm'));
    for (const block of [
      "case #1 (the first sighting's): input seed 7, from seed:axpy, lineage insert-subtree\npipeline builtin.module(canonicalize)\n" + PROGRAM,
      'reduced case #2: input seed 7\npipeline builtin.module(canonicalize)\n' + REDUCED,
    ]) assert.ok(r.out.includes(block), `missing ${JSON.stringify(block)} in:\n${r.out}`);

    const m = await cli(['triage', 'show', '2', '--db', db]);
    assert.match(m.out, /^difference +arg0\[3\] \(f32\): expected 1\.5, actual 2\.5$/m);
    assert.match(m.out, /^ran right +native$/m);
    assert.match(m.out, /^suspect +executor$/m);

    const view = JSON.parse((await cli(['triage', 'show', '1', '--db', db, '--json'])).out);
    assert.deepEqual([view.finding.id, view.finding.count, view.case.program.text, view.case.inputSeed, view.reducedCase.program.text, view.hits.length, view.toolchain.toolchain, view.campaign.seed], [1, 2, PROGRAM, 7, REDUCED, 1, '22.1.8', 9]);
  });

  it('mark: sets a status that lasts', async () => {
    const marked = join(root, 'marked.db');
    copyFileSync(db, marked);
    const r = await cli(['triage', 'mark', '2', 'confirmed', '--db', marked]);
    assert.deepEqual([r.code, r.out], [0, 'finding #2: new → confirmed\n']);
    await cli(['triage', 'mark', '2', 'reported', '--db', marked]);
    const c = openCorpus(marked, { readonly: true });
    assert.deepEqual(c.findings().map((f) => f.status), ['new', 'reported', 'new']);
    c.close();
    const listed = await cli(['triage', 'list', '--db', marked, '--status', 'reported']);
    assert.equal(listed.out.trimEnd().split('\n').length, 2);
  });

  it('export: a bug report with the reduced input, the exact mlir-opt command, and the toolchain', async () => {
    const r = await cli(['triage', 'export', '1', '--db', db, '--format', 'markdown']);
    assert.equal(r.code, 0, r.err);
    const report = r.out;
    assert.match(report, /^# mlir-opt crashes in canonicalize: mlir-opt crashed: Assertion `isa<To>\(Val\)` failed\n/);
    assert.match(report, /`mlir-opt` crashed in pass `canonicalize` on the program below while compiling it for tcfuzz's native backend\. The wasm backend saw the same\./);
    assert.match(report, /seen 2 times between 2025-01-02 03:09 and 2025-01-02 03:10 UTC/);
    assert.ok(report.includes('## Input (reduced)\n\n```mlir\n' + REDUCED + '```\n'), report);
    const command = /```sh\n(.*)\n```/.exec(report)![1]!;
    assert.match(command, /^mlir-opt --pass-pipeline='builtin\.module\(canonicalize,func\.func\(lower-vector-multi-reduction,.*finalize-memref-to-llvm.*reconcile-unrealized-casts\)' input\.mlir$/);
    assert.ok(report.includes('Top of the stack:\n\n```\nmlir::applyPatternsGreedily\nmlir::Canonicalizer::runOnOperation\n'));
    assert.match(report, /## Environment\n\n- tcfuzz: 0\.1\.0\n- LLVM\/MLIR: 22\.1\.8\n/);

    const m = (await cli(['triage', 'export', '2', '--db', db])).out;
    assert.match(m, /^# Wrong result on the wasm backend at arith\.addf: arg0\[3\] f32: 1\.5 vs 2\.5\n/);
    assert.match(m, /## Input\n\n```mlir\n.*dlti\.dl_spec = #dlti\.dl_spec<index = 32 : i64>/);
    assert.match(m, /mlir-opt --pass-pipeline='builtin\.module\(sccp,.*transform-preload-library\{transform-library-paths=wasm-vector-lowering\.mlir\}.*convert-to-llvm\{dynamic=true\}.*' input\.mlir -o lowered\.mlir/);
    assert.match(m, /## Expected vs actual\n\narg0\[3\] \(f32\): expected 1\.5, actual 2\.5\.\n\nExpected is tcfuzz's reference interpreter's result, which native also computed; the input buffers are filled from input seed 11\./);
    assert.match(m, /Another backend ran it right, so the wasm backend's lowering or code generation is the suspect\./);
  });

  it('refuses user mistakes with one line and exit 2', async () => {
    await refused(['triage', 'show', '99', '--db', db], /^tcfuzz: no finding 99 in .*api-.*\.db$/);
    await refused(['triage', 'export', '99', '--db', db], /no finding 99/);
    await refused(['triage', 'mark', '99', 'fixed', '--db', db], /no finding 99/);
    await refused(['triage', 'mark', '1', 'wontfix', '--db', db], /unknown status 'wontfix' \(one of new, confirmed, reported, fixed, invalid\)/);
    await refused(['triage', 'mark', '1', '--db', db], /mark needs a status/);
    await refused(['triage', 'list', '--db', db, '--kind', 'segfault'], /unknown finding kind 'segfault'/);
    await refused(['triage', 'list', '--db', db, '--status', 'done'], /unknown status 'done'/);
    await refused(['triage', 'export', '1', '--db', db, '--format', 'html'], /--format must be markdown, got 'html'/);
    await refused(['triage', 'show', '--db', db], /show needs a finding ID/);
    await refused(['triage', 'show', 'abc', '--db', db], /a finding ID is a positive integer, got 'abc'/);
    await refused(['triage', 'list', '3', '--db', db], /list takes no finding id/);
    await refused(['triage', 'list', '--db', join(root, 'missing.db')], /missing\.db: no such corpus/);
    assert.ok(!existsSync(join(root, 'missing.db')));
    await refused(['triage', 'mark', '1', 'fixed', '--db', join(root, 'missing.db')], /missing\.db: no such corpus/);
    assert.ok(!existsSync(join(root, 'missing.db')));
    const notes = join(root, 'notes.db');
    writeFileSync(notes, 'my notes\n');
    await refused(['triage', 'show', '1', '--db', notes], /notes\.db: not an SQLite database/);
    await refused(['triage', 'mark', '1', 'fixed', '--db', notes], /notes\.db: not an SQLite database/);
    assert.equal(readFileSync(notes, 'utf8'), 'my notes\n');
    const json = await cli(['triage', 'show', '99', '--db', db, '--json']);
    assert.deepEqual([json.code, JSON.parse(json.out).error.kind], [2, 'usage']);
  });
});

describe('tcfuzz triage on a real campaign', { skip: toolchainSkip() }, () => {
  const db = join(root, 'campaign.db');
  const bin = () => dirname(findToolchain().path('mlir-opt'));

  before(async () => {
    const r = await cli(['fuzz', '--iterations', '32', '--jobs', '1', '--seed', '5', '--db', db]);
    assert.ok(r.code === 0 || r.code === 77, r.err);
    // Findings on the campaign's own seeds, one per way a report reproduces: after mlir-opt, at llc, at a run.
    const c = openCorpus(db);
    const campaign = c.lastCampaign()!.id;
    const seeds = c.seeds(campaign);
    assert.ok(seeds.length >= 2, 'the campaign kept seeds');
    c.recordFinding({ ...CRASH, signature: 'crash|test' }, { case: seeds[0]!.case.id, campaign });
    c.recordFinding(CRASH, { case: seeds[0]!.case.id, campaign }); // also in findingsStore(): one finding once merged
    c.recordFinding({ ...MISCOMPILE, executor: 'native', tool: 'mlir-runner', signature: 'miscompile|test' }, { case: seeds[1]!.case.id, campaign });
    c.recordFinding({ kind: 'compile-failure', executor: 'wasm', tool: 'llc', stage: 'llc', frames: [], agreeing: [], detail: 'llc error: cannot select', signature: 'compile-failure|test' }, { case: seeds[1]!.case.id, campaign });
    c.close();
  });

  it("lists and shows them with the campaign's program, pipeline and toolchain", async () => {
    const listed = await cli(['triage', 'list', '--db', db, '--json']);
    const findings = JSON.parse(listed.out) as { id: number; signature: string }[];
    assert.deepEqual(findings.map((f) => f.signature).filter((s) => s.endsWith('|test')).sort(), ['compile-failure|test', 'crash|test', 'miscompile|test']);
    const id = findings.find((f) => f.signature === 'compile-failure|test')!.id;
    const view = JSON.parse((await cli(['triage', 'show', String(id), '--db', db, '--json'])).out);
    const c = openCorpus(db, { readonly: true });
    const seed = c.seeds(c.lastCampaign()!.id)[1]!;
    assert.deepEqual([view.case.program.text, view.case.pipeline.text, view.case.inputSeed], [seed.case.program.text, seed.case.pipeline.text, seed.case.inputSeed]);
    assert.equal(view.toolchain.tcfuzz, c.lastCampaign()!.toolchain.tcfuzz);
    c.close();
  });

  it("each exported report's commands run with the public tools on its input", async () => {
    const findings = JSON.parse((await cli(['triage', 'list', '--db', db, '--json'])).out) as { id: number; signature: string }[];
    for (const f of findings.filter((x) => x.signature.endsWith('|test'))) {
      const report = (await cli(['triage', 'export', String(f.id), '--db', db])).out;
      const dir = join(root, `repro-${f.id}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'input.mlir'), /```mlir\n([\s\S]*?)\n```/.exec(report)![1]! + '\n');
      copyFileSync(WASM_VECTOR_LOWERING, join(dir, 'wasm-vector-lowering.mlir'));
      const commands = /```sh\n([\s\S]*?)\n```/.exec(report)![1]!;
      // No bug in these tools for these programs, so every step succeeds and leaves its output.
      const r = spawnSync('bash', ['-e', '-c', commands], { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: `${bin()}:${process.env.PATH}` } });
      assert.equal(r.status, 0, `${f.signature}:\n${commands}\n${r.stderr}`);
      if (f.signature === 'compile-failure|test') assert.ok(existsSync(join(dir, 'lowered.o')), 'llc ran');
      if (f.signature === 'miscompile|test') assert.ok(readFileSync(join(dir, 'lowered.mlir'), 'utf8').includes('llvm.func @main'), 'lowered to the LLVM dialect');
    }
  });

  it('merges with another store: every finding kept, shared ones counted once per sighting, and again changes nothing', async () => {
    const api = findingsStore();
    const out = join(root, 'merged.db');
    assert.equal((await cli(['corpus', 'merge', out, db, api])).code, 0);
    const c = openCorpus(out, { readonly: true });
    const [a, b] = [openCorpus(db, { readonly: true }), openCorpus(api, { readonly: true })];
    const count = (s: typeof c) => Object.fromEntries(s.findings().map((f) => [f.signature, f.count]));
    const expected: Record<string, number> = { ...count(a) };
    for (const [sig, n] of Object.entries(count(b))) expected[sig] = (expected[sig] ?? 0) + n;
    assert.deepEqual(count(c), expected);
    assert.equal(expected[CRASH.signature], 3);
    assert.equal(c.seeds(1).length, a.seeds(a.lastCampaign()!.id).length, "the campaign's pool");
    assert.deepEqual(c.stats(1), a.stats(a.lastCampaign()!.id));
    assert.equal(c.integrityCheck(), 'ok');
    for (const s of [c, a, b]) s.close();
    const merged = storeContents(out);
    assert.equal((await cli(['corpus', 'merge', out, api, db])).code, 0);
    assert.deepEqual(storeContents(out), merged);
  });
});
