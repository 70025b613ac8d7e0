// A campaign's writer for crash.test.ts: stores a case and records findings in a loop until killed, printing
// `signature id count` after each commit. Usage: node --import tsx writer-child.ts CORPUS ROUND
import { openCorpus } from '../../corpus/index.ts';

const [path, round] = process.argv.slice(2) as [string, string];
const c = openCorpus(path, { create: true });
const campaign = c.startCampaign({ seed: Number(round), config: { round }, toolchain: {} });
const filler = 'x'.repeat(8000); // big programs fill the WAL, so checkpoints run while the process may be killed
for (let i = 0; ; i++) {
  const lines = c.transaction(() => {
    const kase = c.storeCase({ text: `// ${round}:${i}\n${filler}`, pipeline: `p${i % 7}`, inputSeed: i, campaign });
    c.addSeed({ campaign, case: kase, features: [i, i + 1, i + 2] });
    const fresh = c.recordFinding({ kind: 'crash', executor: 'native', tool: 'mlir-opt', frames: [], agreeing: [], detail: 'd', signature: `s${round}:${i}` }, { case: kase, campaign });
    const repeat = c.recordFinding({ kind: 'hang', executor: 'wasm', tool: 'v8', frames: [], agreeing: [], detail: 'd', signature: 'shared' }, { case: kase, campaign });
    c.addStats(campaign, { t: i, cases: i, features: 3 * i, seeds: i, findingsByKind: { crash: i }, ubDiscarded: 0, casesPerS: 1 });
    return `s${round}:${i} ${fresh.id} ${fresh.count}\nshared ${repeat.id} ${repeat.count}\n`;
  });
  process.stdout.write(lines);
}
