// The text, markdown, JSON and HTML renderings of the sample store's model: what each shows, and that text from the
// store stays text (markdown and HTML would render it). The HTML page's behaviour in a browser is html.test.ts's.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openCorpus } from '../../corpus/index.ts';
import { findingPage } from '../../reports/html-finding.ts';
import { indexPage } from '../../reports/html.ts';
import { RENDERERS, type ReportFormat, type ReportModel, type ReportOutput } from '../../reports/index.ts';
import { MARKDOWN_FINDING_ROWS, markdownReport } from '../../reports/markdown.ts';
import { buildReportModel } from '../../reports/model.ts';
import { textReport } from '../../reports/text.ts';
import { mlirCatalog } from '../../targets/mlir/target.ts';
import { GENERIC, PIPELINE_A, sampleStore } from './sample-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-report-render-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function modelOf(name: string, fill: (path: string) => void): ReportModel {
  const path = join(dir, name);
  fill(path);
  const corpus = openCorpus(path, { readonly: true });
  try {
    return buildReportModel(corpus, mlirCatalog, 42);
  } finally {
    corpus.close();
  }
}
const model = modelOf('sample.db', sampleStore);
const empty = modelOf('empty.db', (path) => openCorpus(path, { create: true }).close());

/** An output in memory; `present` are the files already in its folder, which `hasFolder: false` takes away. */
function render(format: ReportFormat, m: ReportModel, present: readonly string[] = [], hasFolder = true) {
  const files = new Map<string, string>();
  let printed = '';
  const out: ReportOutput = {
    hasFolder,
    write: (name, text) => void files.set(name, text),
    exists: (name) => present.includes(name),
    print: (t) => void (printed += t),
  };
  RENDERERS[format].render(m, out);
  return { files, printed };
}

test('text: totals, a line per campaign, findings by kind, a line per finding', () => {
  assert.equal(textReport(model), `tcfuzz report of ${model.db}, 1970-01-01 00:00:00 UTC
3 campaigns, 42 cases checked, 2 findings (3 sightings)

campaigns
  #1  seed 7  done         10.0 s  30 cases  3.0/s  150 features  2 seeds  2 findings
  #2  seed 8  interrupted  4.0 s   12 cases  3.0/s  80 features   1 seed   1 finding
  #3  seed 9  running      0 ms    0 cases   0.0/s  0 features    0 seeds  0 findings

findings by kind
  crash       1  (2 sightings)
  miscompile  1  (1 sighting)

findings
  #1  crash       new        ×2  canonicalize  Assertion \`a|b\` failed in <script>alert(1)</script> *here* second line
  #2  miscompile  confirmed  ×1  cse           buffer 0 [0]: 2 vs 4
`);
  assert.deepEqual(render('text', model), { files: new Map(), printed: textReport(model) });
  assert.equal(textReport(empty), `tcfuzz report of ${empty.db}, 1970-01-01 00:00:00 UTC\n0 campaigns, 0 cases checked, 0 findings (0 sightings)\n`);
});

test('text: control characters from the store cannot reach the terminal', () => {
  const f = { ...model.findings[0]!, detail: 'red \u001b[31m alert \u0007' };
  assert.match(textReport({ ...model, findings: [f] }), /red \?\[31m alert \?\n/);
});

test('markdown: totals, tables whose cells cannot break out, printed and written to summary.md given a folder', () => {
  const md = markdownReport(model);
  assert.ok(md.startsWith(`# tcfuzz report\n\n${model.db}, 1970-01-01 00:00:00 UTC: **3 campaigns**, **42 cases** checked, **2 findings** (3 sightings).\n`));
  assert.ok(md.includes('| \\#2 | 8 | interrupted | 2025-01-02 03:04:05 UTC | 4.0 s | 12 | 3.0 | 80 | 1 | 1 |'));
  assert.ok(md.includes('| crash | 1 | 2 |\n| miscompile | 1 | 1 |'));
  assert.ok(md.includes('| Assertion \\`a\\|b\\` failed in &lt;script&gt;alert(1)&lt;/script&gt; \\*here\\* second line |'), md);
  assert.doesNotMatch(md, /<script/);
  // Every row has its table's columns: no cell's text adds or hides a '|'.
  for (const table of md.split(/\n\n/).filter((b) => b.startsWith('|'))) {
    const widths = table.split('\n').filter(Boolean).map((row) => row.replace(/\\\|/g, '').split('|').length);
    assert.ok(widths.every((w) => w === widths[0]), table);
  }
  assert.deepEqual(render('markdown', model), { files: new Map([['summary.md', md]]), printed: md });
  assert.deepEqual(render('markdown', model, [], false), { files: new Map(), printed: md });
  assert.match(markdownReport(empty), /## Findings\n\nNone\.\n$/);
});

test('markdown: past its row limit the findings table says how many it leaves out', () => {
  const many = Array.from({ length: MARKDOWN_FINDING_ROWS + 5 }, (_, k) => ({ ...model.findings[1]!, id: k + 1 }));
  const md = markdownReport({ ...model, findings: many });
  assert.equal(md.match(/^\| \\#\d+ \| miscompile /gm)?.length, MARKDOWN_FINDING_ROWS);
  assert.match(md, /… and 5 more findings: the HTML report/);
});

test('json: the whole model, printed', () => {
  const { files, printed } = render('json', model);
  assert.equal(files.size, 0);
  const parsed = JSON.parse(printed);
  assert.deepEqual(parsed, JSON.parse(JSON.stringify(model)));
  assert.equal(parsed.findings[0].reproducer.program, GENERIC);
  assert.equal(parsed.heatMaps.coverage.passes[0], 'cse');
});

test('html: one page per finding, and the index links each; a repro script is linked only when it is there', () => {
  const { files, printed } = render('html', model, ['repro/2/repro.sh']);
  assert.equal(printed, '');
  assert.deepEqual([...files.keys()], ['index.html', 'findings/1.html', 'findings/2.html']);
  const index = files.get('index.html')!;
  const rows = [...index.matchAll(/<tr data-finding="(\d+)">(.*?)<\/tr>/g)];
  assert.deepEqual(rows.map((r) => [r[1], [...r[2]!.matchAll(/href="([^"]+)"/g)].map((h) => h[1])]), [
    ['1', ['findings/1.html', 'findings/1.html']],
    ['2', ['findings/2.html', 'findings/2.html']],
  ]);
  assert.doesNotMatch(files.get('findings/1.html')!, /repro\.sh/);
  assert.match(files.get('findings/2.html')!, /<a href="\.\.\/repro\/2\/repro\.sh">/);
});

test('html: text from the store is escaped; only the inlined scripts may run; the chart data is one JSON blob', () => {
  const index = indexPage(model);
  assert.doesNotMatch(index, /<script>alert/);
  assert.ok(index.includes('Assertion `a|b` failed in &#60;script&#62;alert(1)&#60;/script&#62;'));
  const scripts = [...index.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  assert.equal(scripts.length, 2, 'ECharts and the charts script');
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(index)![1]!.replace(/&#39;/g, "'");
  const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`);
  assert.equal(csp, `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src ${hashes.join(' ')}`);
  const blob = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(index)![1]!;
  const data = JSON.parse(blob);
  assert.deepEqual(data.campaigns.map((c: { id: number; stats: unknown[] }) => [c.id, c.stats.length]), [[1, 2], [2, 1], [3, 0]]);
  assert.deepEqual(data.kinds, ['crash', 'miscompile']);
  assert.deepEqual(data.heatMaps, model.heatMaps);
  assert.doesNotMatch(blob, /program|builtin\.module\(/, 'the blob holds series, not programs or pipelines');
  for (const id of ['chart-features', 'chart-cases', 'chart-findings', 'chart-rate', 'heat-coverage', 'heat-findings']) assert.ok(index.includes(`id="${id}"`), id);
});

test("html: a finding's page shows every fact, the reproducer and the reduced one, escaped", () => {
  const [crash, miscompile] = model.findings;
  const page = findingPage(crash!, false);
  for (const want of ['<dt>signature</dt><dd>crash|mlir-opt|canonicalize|Assertion</dd>', '<dt>count</dt><dd>2</dd>', '<dt>agreeing</dt><dd>wasm</dd>',
    `<pre>${PIPELINE_A}</pre>`, '<pre>mlir::Foo::bar</pre>', '&#34;arith.addi&#34;(%v, %v)', '<a href="../index.html">']) assert.ok(page.includes(want), want);
  assert.doesNotMatch(page, /<script/);
  assert.match(page, /script-src 'none'|script-src &#39;none&#39;/);
  const reduced = findingPage(miscompile!, false);
  assert.ok(reduced.includes('<h2>Reduced reproducer</h2>') && reduced.includes('<dt>matching the reference</dt><dd>native</dd>'));
  assert.ok(reduced.includes('%w = arith.mulf %v, %v : f32'), 'the reduced program');
});

test('html: an empty store gives notes instead of charts and tables', () => {
  const index = indexPage(empty);
  for (const note of ['No campaign yet.', 'No stats sample yet.', 'No finding yet.', 'No case.']) assert.ok(index.includes(note), note);
  assert.doesNotMatch(index, /class="chart"/);
});
