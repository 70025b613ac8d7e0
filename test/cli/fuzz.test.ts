// `tcfuzz fuzz` end to end with real tools and a real SQLite file: a campaign killed with SIGKILL mid-run leaves an
// intact store, no worker behind, and resumes with nothing lost; bad input and bad databases exit 2.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openCorpus } from '../../corpus/index.ts';
import { toolchainSkip } from '../helpers/toolchain.ts';
import { cli as capture } from '../helpers/cli.ts';

const BIN = new URL('../../bin/tcfuzz.js', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'tcfuzz-fuzz-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));


/** What the store says, read as a second connection, as triage would while a campaign runs. */
function snapshot(db: string) {
  const c = openCorpus(db, { readonly: true });
  try {
    const campaign = c.lastCampaign();
    const stats = campaign ? c.stats(campaign.id) : [];
    return { findings: c.findings().map((f) => [f.signature, f.count] as const), stats, seeds: campaign ? c.seeds(campaign.id).length : 0, integrity: c.integrityCheck(), status: campaign?.status };
  } finally {
    c.close();
  }
}

const workersAlive = (): number => spawnSync('pgrep', ['-f', 'fuzz-worker.ts'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).length;

describe('tcfuzz fuzz', { skip: toolchainSkip() }, () => {
  it('killed with SIGKILL mid-run, resumes: no finding lost, the store intact, stats go on', async () => {
    const db = join(root, 'killed.db');
    const before = workersAlive();
    const child = spawn(process.execPath, [BIN, 'fuzz', '--db', db, '--time', '120s', '--jobs', '2', '--seed', '5', '--backends', 'interp,native'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Kill once a checkpoint with cases is committed (the stats series has them).
    const deadline = Date.now() + 90_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      assert.ok(Date.now() < deadline, `no stats with cases within 90 s:\n${stderr}`);
      try {
        const s = snapshot(db);
        if (s.stats.some((p) => p.cases > 0) && s.seeds > 0) break;
      } catch {
        // Not created yet.
      }
    }
    child.kill('SIGKILL');
    await exited;
    const killed = snapshot(db);
    assert.equal(killed.integrity, 'ok');
    assert.equal(killed.status, 'running', 'a campaign killed outright is left resumable');
    // Its workers die with it (PR_SET_PDEATHSIG through native/reaper.c).
    for (let k = 0; k < 20 && workersAlive() > before; k++) await new Promise((r) => setTimeout(r, 250));
    assert.equal(workersAlive(), before, 'no fuzz worker outlives a killed campaign');

    const resumed = await capture(['fuzz', '--db', db, '--resume', '--time', '6s', '--json']);
    assert.ok(resumed.code === 0 || resumed.code === 77, resumed.err);
    const summary = JSON.parse(resumed.out);
    const last = killed.stats[killed.stats.length - 1]!;
    assert.ok(summary.cases >= last.cases, `cases continue from the checkpoint: ${summary.cases} after ${last.cases}`);
    const after = snapshot(db);
    assert.equal(after.integrity, 'ok');
    assert.equal(after.status, 'done');
    for (const [signature, count] of killed.findings) {
      const now = after.findings.find(([s]) => s === signature);
      assert.ok(now && now[1] >= count, `finding ${signature} kept with its count`);
    }
    assert.ok(after.stats[after.stats.length - 1]!.t > last.t, 'the stats series goes on after the resume');
    assert.ok(after.seeds >= killed.seeds, 'the pool is kept');
  });

  it('refuses a bad database with exit 2 and leaves the file as it was', async () => {
    const db = join(root, 'notes.db');
    writeFileSync(db, 'not a database, my notes\n');
    const r = await capture(['fuzz', '--db', db, '--iterations', '4', '--jobs', '1']);
    assert.equal(r.code, 2);
    assert.match(r.err, /notes\.db/);
    assert.equal(readFileSync(db, 'utf8'), 'not a database, my notes\n');
  });

  it('says what is missing: a budget, a campaign to resume, a suppression file', async () => {
    const none = await capture(['fuzz', '--db', join(root, 'nobudget.db')]);
    assert.equal(none.code, 2);
    assert.match(none.err, /--time .*--iterations/);
    const resume = await capture(['fuzz', '--db', join(root, 'empty.db'), '--resume']);
    assert.equal(resume.code, 2);
    assert.match(resume.err, /no campaign to resume/);
    const suppress = await capture(['fuzz', '--db', join(root, 'x.db'), '--iterations', '4', '--suppress', join(root, 'missing.txt')]);
    assert.equal(suppress.code, 2);
    assert.match(suppress.err, /missing\.txt/);
  });
});
