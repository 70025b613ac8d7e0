// The shell of every report page: escaping, the style, and a Content-Security-Policy that lets the page load
// nothing from anywhere and run only the scripts inlined here (by hash), so that text from the store can never
// become markup or code, even if an escape were missed.
import { createHash } from 'node:crypto';

/** Text from the store as HTML text or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A value as the content of `<script type="application/json">`: `</script>` or `<!--` in a string cannot end it. */
export function jsonScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export type Page = {
  readonly title: string;
  /** HTML, escaped by the caller. */
  readonly body: string;
  /** Script sources to inline, in order. */
  readonly scripts?: readonly string[];
};

export function page(p: Page): string {
  // `</script` inside a script would end it early; `<\/` means the same in JS strings and regular expressions.
  const scripts = (p.scripts ?? []).map((s) => s.replace(/<\/(script)/gi, '<\\/$1'));
  const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`);
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src ${hashes.length ? hashes.join(' ') : "'none'"}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title>
<style>${STYLE}</style>
</head>
<body>
${p.body}
${scripts.map((s) => `<script>${s}</script>`).join('\n')}
</body>
</html>
`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 1400px; padding: 0 1em; color: #1f2328; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; margin-top: 1.6em; }
.sub { color: #59636e; margin-top: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 0.8em; }
.card { border: 1px solid #d1d9e0; border-radius: 6px; padding: 0.5em 1em; min-width: 8em; }
.card b { display: block; font-size: 1.5em; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #d1d9e0; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 1em; }
.chart { height: 320px; border: 1px solid #d1d9e0; border-radius: 6px; }
.empty { color: #59636e; font-style: italic; }
pre { background: #f6f8fa; border: 1px solid #d1d9e0; border-radius: 6px; padding: 0.8em; overflow: auto; max-height: 40em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; } dt { font-weight: 600; } dd { margin: 0; }
code { font-size: 0.95em; }
`;
