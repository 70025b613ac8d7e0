// A screenshot of a rendered HTML report in headless chromium, for docs/report-screenshot.png:
//   node --import tsx scripts/report-screenshot.ts REPORT_DIR OUT.png
// The picture ends a few rows into the findings table: the rest of a long table adds height, not information.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const [dir, png] = process.argv.slice(2);
if (!dir || !png) throw new Error('usage: report-screenshot.ts REPORT_DIR OUT.png');
const chromium = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim();
if (!chromium) throw new Error("chromium not found: install Debian's chromium (scripts/setup.sh does)");

const browser = await puppeteer.launch({ executablePath: chromium, args: ['--no-sandbox', '--headless=new'] });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(join(dir, 'index.html')).href, { waitUntil: 'load' });
  const end = "(document.querySelector('#findings tbody tr:nth-child(6)') ?? document.querySelector('#findings') ?? document.body)";
  const height = (await page.evaluate(`${end}.getBoundingClientRect().bottom + scrollY`)) as number;
  await page.screenshot({ path: png as `${string}.png`, clip: { x: 0, y: 0, width: 1400, height: Math.ceil(height) + 16 } });
} finally {
  await browser.close();
}
