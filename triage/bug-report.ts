// `tcfuzz triage export --format markdown`: a finding as an upstream bug report, ready to file. What to run comes
// from the target (a `Repro`), since only it knows its tools and lowering; the rest is the finding's own record.
import type { StoredFinding } from '../contracts/corpus.ts';
import { cut, utc } from './finding-table.ts';
import { describeDifference } from './finding-text.ts';
import type { FindingView } from './finding-view.ts';
import { reproducer } from './finding-view.ts';

/** How to reproduce a finding with the compiler's public tools. */
export type Repro = {
  /** What input.mlir holds: the program as the backend's first tool read it. */
  readonly input: string;
  /** Shell commands run in order from the folder holding input.mlir; the last one misbehaves. */
  readonly commands: readonly string[];
  /** What the commands alone do not say: a file to attach, what the harness adds. */
  readonly notes: readonly string[];
};

export function bugReport(v: FindingView, repro: Repro): string {
  const f = v.finding;
  const c = reproducer(v);
  const out = [`# ${title(f)}`, '', summary(v), ''];
  out.push(`## Input${v.reducedCase ? ' (reduced)' : ''}`, '', fence(repro.input, 'mlir'), '');
  out.push('## Reproduce', '', fence(repro.commands.join('\n'), 'sh'), '');
  for (const note of repro.notes) out.push(`- ${note}`);
  if (repro.notes.length > 0) out.push('');
  if (f.difference) {
    out.push('## Expected vs actual', '', `${describeDifference(f.difference)}.`, '');
    out.push(`Expected is tcfuzz's reference interpreter's result${f.matchingReference?.length ? `, which ${f.matchingReference.join(', ')} also computed` : ''}; the input buffers are filled from input seed ${c.inputSeed}.`, '');
  } else {
    out.push('## Actual', '', fence(f.detail, ''), '');
  }
  if (f.frames.length > 0) out.push('Top of the stack:', '', fence(f.frames.join('\n'), ''), '');
  out.push('## Pipeline', '', `The passes under test: \`${c.pipeline.text}\`.`, '');
  out.push('## Environment', '');
  for (const [tool, version] of Object.entries(v.toolchain)) out.push(`- ${tool === 'toolchain' ? 'LLVM/MLIR' : tool}: ${version}`);
  out.push(`- tcfuzz finding #${f.id}, signature \`${f.signature}\`, input seed ${c.inputSeed}`);
  return out.join('\n') + '\n';
}

/** What went wrong, where, and a short message. */
function title(f: StoredFinding): string {
  const said = cut(f.detail.split('\n')[0]!, 100);
  const inPass = f.pass ? ` in ${f.pass}` : '';
  switch (f.kind) {
    case 'miscompile':
      return `Wrong result on the ${f.executor} backend${f.op ? ` at ${f.op}` : ''}: ${said}`;
    case 'runtime-trap':
      return `Code compiled for ${f.executor} traps: ${said}`;
    case 'crash':
      return `${f.tool} crashes${inPass}: ${said}`;
    case 'hang':
      return `${f.tool} hangs${inPass}`;
    case 'invalid-ir':
      return `${f.pass ?? f.tool} produces invalid IR: ${said}`;
    case 'pass-failure':
      return `${f.pass ?? f.tool} fails on valid IR: ${said}`;
    case 'compile-failure':
      return `${f.tool} fails${inPass}: ${said}`;
  }
}

function summary(v: FindingView): string {
  const f = v.finding;
  const inPass = f.pass ? ` in pass \`${f.pass}\`` : '';
  const pass = f.pass ? `Pass \`${f.pass}\`` : `\`${f.tool}\``;
  const forBackend = `while compiling it for tcfuzz's ${f.executor} backend`;
  const what: Record<StoredFinding['kind'], string> = {
    crash: `\`${f.tool}\` crashed${inPass} on the program below ${forBackend}.`,
    hang: `\`${f.tool}\` did not finish${inPass} within tcfuzz's time limit on the program below ${forBackend}.`,
    'invalid-ir': `${pass} turned the valid program below into IR that fails verification ${forBackend}.`,
    'pass-failure': `${pass} failed on the valid program below ${forBackend}.`,
    'compile-failure': `\`${f.tool}\` failed${f.stage && f.stage !== f.tool ? ` at stage ${f.stage}` : ''}${inPass} on the program below ${forBackend}.`,
    'runtime-trap': `The program below has no undefined behaviour (tcfuzz's reference interpreter runs it to the end), yet the code the ${f.executor} backend compiled from it traps.`,
    miscompile: `The program below has no undefined behaviour, yet the code the ${f.executor} backend compiled from it computes a result other than the one MLIR's semantics give (tcfuzz's reference interpreter).`,
  };
  const sentences = [what[f.kind]];
  if (f.suspect === 'pipeline') sentences.push('Every backend that ran it went wrong the same way, so the passes under test are the suspects, not a backend.');
  if (f.suspect === 'executor') sentences.push(`Another backend ran it right, so the ${f.executor} backend's lowering or code generation is the suspect.`);
  if (f.agreeing.length > 0) sentences.push(`The ${f.agreeing.join(', ')} backend${f.agreeing.length > 1 ? 's' : ''} saw the same.`);
  sentences.push(`Found by fuzzing with tcfuzz: seen ${f.count > 1 ? `${f.count} times between ${utc(f.firstSeen)} and ${utc(f.lastSeen)}` : `once, on ${utc(f.firstSeen)}`} UTC.`);
  return sentences.join(' ');
}

/** A fenced block that `text` cannot close early: longer than any run of backticks in it. */
function fence(text: string, lang: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const bar = '`'.repeat(Math.max(3, longest + 1));
  return `${bar}${lang}\n${text.replace(/\n$/, '')}\n${bar}`;
}
