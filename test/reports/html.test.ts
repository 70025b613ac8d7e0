// The HTML report in a real browser: a real short campaign's store, plus a finding whose text tries to inject markup
// and script, rendered by `tcfuzz report` and opened in Debian's headless chromium over the DevTools protocol. The
// page must run without an error or a network request, draw every chart with data, list every finding, link only
// to files that exist, and show the store's text as text.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { openCorpus } from '../../corpus/index.ts';
import { toolchainSkip } from '../helpers/toolchain.ts';
import { cli as tcfuzz } from '../helpers/cli.ts';

const chromium = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim();
const skip = chromium
  ? toolchainSkip()
  : 'chromium not found: install Debian\'s chromium (apt-get install chromium, as scripts/setup.sh does) to test the HTML report';

const HOSTILE = '<img src=x onerror="window.pwned=1"></script><script>window.pwned=2</script>';

const root = mkdtempSync(join(tmpdir(), 'tcfuzz-report-html-'));
after(() => rmSync(root, { recursive: true, force: true }));


/** What the page's charts hold, read in the browser (a string: tsx's transform of a function would not run there). */
const CHARTS = `[...document.querySelectorAll('.chart')].map((el) => {
  const chart = echarts.getInstanceByDom(el);
  const canvas = el.querySelector('canvas');
  const series = chart ? chart.getOption().series : [];
  return { id: el.id, chart: !!chart, width: canvas ? canvas.width : 0, height: canvas ? canvas.height : 0, points: series.reduce((n, s) => n + s.data.length, 0) };
})`;
const TABLE_LINKS = `[...document.querySelectorAll('#findings tbody tr')].map((tr) => ({
  finding: tr.dataset.finding, hrefs: [...tr.querySelectorAll('a')].map((a) => a.getAttribute('href')) }))`;

describe('the HTML report in chromium', { skip }, () => {
  const db = join(root, 'campaign.db');
  const out = join(root, 'report');
  let browser: Browser;
  let hostile: number;
  let plain: number;
  let findings: number;

  before(async () => {
    const fuzz = await tcfuzz(['fuzz', '--iterations', '48', '--jobs', '1', '--seed', '7', '--db', db]);
    assert.ok(fuzz.code === 0 || fuzz.code === 77, fuzz.err);
    const corpus = openCorpus(db);
    try {
      const seed = corpus.seeds(corpus.lastCampaign()!.id)[0]!;
      hostile = corpus.recordFinding({
        kind: 'crash', executor: 'native', tool: 'mlir-opt', pass: HOSTILE, op: 'arith.addi', frames: [HOSTILE], agreeing: [],
        detail: `Assertion failed: ${HOSTILE}`, signature: `crash|mlir-opt|${HOSTILE}`,
      }, { case: seed.case.id, campaign: seed.campaign }).id;
      plain = corpus.recordFinding({
        kind: 'hang', executor: 'wasm', tool: 'v8', frames: [], agreeing: [], detail: 'no result within 10 s', signature: 'hang|v8|report-test',
      }, { case: seed.case.id, campaign: seed.campaign }).id;
      findings = corpus.findings().length;
    } finally {
      corpus.close();
    }
    // A repro script made before the report (DESIGN §10): the finding's page links it, and only that one.
    mkdirSync(join(out, 'repro', String(hostile)), { recursive: true });
    writeFileSync(join(out, 'repro', String(hostile), 'repro.sh'), '#!/bin/sh\nexit 1\n');
    const report = await tcfuzz(['report', '--db', db, '--out', out]);
    assert.equal(report.code, 0, report.err);
    browser = await puppeteer.launch({ executablePath: chromium, args: ['--no-sandbox', '--headless=new'] });
  });
  after(() => browser?.close());

  /** The page, and what goes wrong on it: console errors, uncaught exceptions, any request for anything not on disk. */
  async function open(file: string): Promise<{ page: Page; problems: string[] }> {
    const problems: string[] = [];
    const page = await browser.newPage();
    page.on('console', (m) => void (m.type() === 'error' && problems.push(`${file}: console: ${m.text()}`)));
    page.on('pageerror', (e) => void problems.push(`${file}: ${(e as Error).message}`));
    page.on('request', (r) => void (!r.url().startsWith('file:') && problems.push(`${file}: request ${r.url()}`)));
    await page.setViewport({ width: 1400, height: 1000 });
    await page.goto(pathToFileURL(join(out, file)).href, { waitUntil: 'load' });
    return { page, problems };
  }

  it('draws every chart with data, without an error or a request', async () => {
    const { page, problems } = await open('index.html');
    const charts = (await page.evaluate(CHARTS)) as { id: string; chart: boolean; width: number; height: number; points: number }[];
    const ids = charts.map((c) => c.id);
    for (const id of ['chart-features', 'chart-cases', 'chart-rate', 'heat-coverage', 'heat-findings']) assert.ok(ids.includes(id), `${id} in ${ids}`);
    for (const c of charts) {
      assert.ok(c.chart, `${c.id} is an ECharts instance`);
      assert.ok(c.width > 0 && c.height > 0, `${c.id} has a canvas of ${c.width}×${c.height}`);
      assert.ok(c.points > 0, `${c.id} plots data`);
    }
    assert.equal(await page.evaluate('window.pwned'), undefined, 'text from the store ran as code');
    assert.deepEqual(problems, []);
    const size = statSync(join(out, 'index.html')).size;
    assert.ok(size < 4 << 20, `index.html is ${size} bytes`);
  });

  it('lists every finding once, each linking to its page', async () => {
    const { page, problems } = await open('index.html');
    const rows = (await page.evaluate(TABLE_LINKS)) as { finding: string; hrefs: string[] }[];
    assert.equal(rows.length, findings);
    assert.equal(new Set(rows.map((r) => r.finding)).size, findings);
    for (const r of rows) {
      assert.ok(r.hrefs.length > 0, `finding ${r.finding} links its page`);
      for (const href of r.hrefs) assert.ok(existsSync(resolve(out, href)), `${href} exists`);
    }
    assert.deepEqual(problems, []);
  });

  it("shows a finding's page: the store's text as text, its repro script when there is one", async () => {
    const { page, problems } = await open(`findings/${hostile}.html`);
    const text = (await page.evaluate('document.body.innerText')) as string;
    for (const want of [HOSTILE, 'crash', 'new', '"func.func"', 'builtin.module(']) assert.ok(text.includes(want), `the page shows ${want}`);
    assert.equal(await page.evaluate('document.querySelectorAll("img, script").length'), 0, 'no markup from the store');
    assert.equal(await page.evaluate('window.pwned'), undefined);
    const hrefs = (await page.evaluate('[...document.querySelectorAll("a")].map((a) => a.getAttribute("href"))')) as string[];
    assert.deepEqual(hrefs, ['../index.html', `../repro/${hostile}/repro.sh`]);
    for (const href of hrefs) assert.ok(existsSync(resolve(out, 'findings', href)), `${href} exists`);
    const other = await open(`findings/${plain}.html`);
    assert.deepEqual(await other.page.evaluate('[...document.querySelectorAll("a")].map((a) => a.getAttribute("href"))'), ['../index.html'], 'no repro script, no link');
    assert.deepEqual([...problems, ...other.problems], []);
  });
});
