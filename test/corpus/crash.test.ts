// Durability: a writer killed with SIGKILL at any moment loses nothing it had committed (every finding it printed
// is there, with at least the count it printed), the store stays intact, and a reader polling meanwhile sees
// every commit printed before its read and never waits.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Corpus } from '../../contracts/corpus.ts';
import { openCorpus } from '../../corpus/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-corpus-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const CHILD = join(import.meta.dirname, 'writer-child.ts');

type Printed = { signature: string; id: number; count: number };

/** Runs the writer, reads from a second connection while it writes, kills it after `killAfterMs` of writing. */
async function writeUntilKilled(path: string, round: number, killAfterMs: number): Promise<{ printed: Printed[]; reads: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const printed: Printed[] = [];
  let partial = '';
  let stderr = '';
  let reader: Corpus | undefined;
  let reads = 0;
  let poll: NodeJS.Timeout | undefined;
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  child.stdout.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop()!; // a line cut by the kill is not a report
    for (const l of lines) {
      const [signature, id, count] = l.split(' ');
      printed.push({ signature: signature!, id: Number(id), count: Number(count) });
    }
    if (!reader && printed.length > 0) {
      reader = openCorpus(path, { readonly: true });
      poll = setInterval(() => {
        const known = new Set(printed.map((p) => p.signature)); // all committed before this read starts
        const seen = new Set(reader!.findings().map((f) => f.signature));
        for (const s of known) assert.ok(seen.has(s), `a reader missed committed finding ${s}`);
        reads++;
      }, 3);
      setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    }
  });
  const [code, signal] = await new Promise<[number | null, string | null]>((res) => child.on('exit', (c, s) => res([c, s])));
  clearInterval(poll);
  reader?.close();
  assert.equal(signal, 'SIGKILL', `the writer ended on its own (code ${code}): ${stderr}`);
  return { printed, reads };
}

test('SIGKILL at any moment loses no committed finding and leaves the store intact', { timeout: 120_000 }, async (t) => {
  const path = join(dir, 'corpus.db');
  const all: Printed[] = [];
  for (const [round, ms] of [[1, 150], [2, 700], [3, 37]] as const) {
    const { printed, reads } = await writeUntilKilled(path, round, ms);
    assert.ok(printed.length > 0 && reads > 0, `round ${round}: ${printed.length} lines, ${reads} reads`);
    all.push(...printed);
    t.diagnostic(`round ${round}: killed after ${printed.length} commit lines, ${reads} reads meanwhile`);
    // Each round reopens what the previous one left mid-write: read-only first (recovers the WAL index), then as the writer.
    const r = openCorpus(path, { readonly: true });
    assert.equal(r.integrityCheck(), 'ok');
    r.close();
  }
  const c = openCorpus(path);
  assert.equal(c.integrityCheck(), 'ok');
  for (const p of all) {
    const f = c.finding(p.id);
    assert.equal(f?.signature, p.signature, `finding ${p.id} (${p.signature}) was committed but is gone`);
    assert.ok(f.count >= p.count, `${p.signature}: count ${f.count} < printed ${p.count}`);
  }
  const shared = all.filter((p) => p.signature === 'shared');
  assert.ok(c.finding(shared[0]!.id)!.count >= shared.length, 'every sighting of the shared signature counted');
  assert.equal(c.lastCampaign()!.status, 'running'); // killed: the resumer decides it was interrupted
  c.close();
});
