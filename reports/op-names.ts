// The op names of a stored program, for the pass × op heat maps, by a scan of its text. Campaigns store generic form,
// which names every op as `"dialect.op"(`: there the scan finds exactly the ops tcfuzz's parser would (checked on
// generated programs and every seed template in test/reports/model.test.ts) at about a thirtieth of the cost, which
// counts on pools of thousands of seeds. Custom syntax, which the parser refuses, starts a line with the op name.

// `"arith.addi"(`, generic form.
const GENERIC = /"([A-Za-z_][\w$]*\.[\w.$]+)"\s*\(/g;
// `%0:2 = scf.for`, `func.func @main`, `memref.store %v, %m[%i]`: custom syntax, after the results if any.
const CUSTOM = /^[ \t]*(?:%[^=\n"]*=[ \t]*)?([A-Za-z_][\w$]*\.[\w.$]+)(?=[\s(<{@%]|$)/gm;

/** The distinct op names in `program`, without the `builtin.module` every program is wrapped in. */
export function opNames(program: string): Set<string> {
  const text = program.replace(/\/\/[^\n]*/g, ''); // comments may hold anything, `// matmul{m=4}` included
  const names = new Set<string>();
  for (const m of text.matchAll(GENERIC)) names.add(m[1]!);
  for (const m of text.matchAll(CUSTOM)) names.add(m[1]!);
  names.delete('builtin.module');
  return names;
}
