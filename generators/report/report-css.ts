/** The HTML report's whole style sheet, inlined in the page: system fonts only, light and dark schemes, print-friendly. */
export const REPORT_CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --line: #d1d9e0; --soft: #f6f8fa;
  --good: #1a7f37; --neutral: #59636e; --warn: #9a6700; --bad: #cf222e; --link: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d; --soft: #151b23;
  --good: #3fb950; --neutral: #9198a1; --warn: #d29922; --bad: #f85149; --link: #4493f8; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 64px; }
h1, h2, h3, h4 { line-height: 1.25; margin: 1.6em 0 0.6em; position: relative; }
h1 { font-size: 2em; margin-top: 0.4em; } h2 { font-size: 1.5em; border-bottom: 1px solid var(--line); padding-bottom: 0.3em; }
h3 { font-size: 1.25em; } h4 { font-size: 1.05em; }
.anchor { position: absolute; left: -1em; width: 1em; color: var(--muted); text-decoration: none; visibility: hidden; }
h1:hover .anchor, h2:hover .anchor, h3:hover .anchor, h4:hover .anchor { visibility: visible; }
a { color: var(--link); }
code { font: 0.88em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--soft); padding: 0.1em 0.3em; border-radius: 4px; overflow-wrap: anywhere; }
.table { overflow-x: auto; margin: 0.8em 0; }
table { border-collapse: collapse; font-size: 0.93em; }
th, td { border: 1px solid var(--line); padding: 5px 9px; text-align: left; vertical-align: top; }
th { background: var(--soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.badge { display: inline-block; padding: 0 0.55em; border-radius: 1em; font-size: 0.85em; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.badge.good { color: var(--good); } .badge.neutral { color: var(--neutral); } .badge.warn { color: var(--warn); } .badge.bad { color: var(--bad); }
.note { border-left: 4px solid var(--neutral); background: var(--soft); padding: 8px 12px; margin: 0.8em 0; border-radius: 0 6px 6px 0; }
.note.good { border-color: var(--good); } .note.warn { border-color: var(--warn); } .note.bad { border-color: var(--bad); }
.toc { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 8px 16px; display: inline-block; }
.toc ul { margin: 0; padding-left: 1em; } .toc li.toc-3 { margin-left: 1.2em; font-size: 0.93em; }
figure.diagram { margin: 1em 0; padding: 12px; border: 1px solid var(--line); border-radius: 6px; background: #ffffff; overflow-x: auto; }
figure.diagram figcaption { color: #59636e; font-weight: 600; margin-bottom: 8px; }
figure.diagram svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
@media print { .anchor { display: none; } figure.diagram { break-inside: avoid; } }
`.trim();
