/** The page's style sheet (inline: the page loads nothing). Verdict colours as in the PDF. */
import { ACCENT, VERDICT_COLORS } from '../format.js';

const verdicts = Object.entries(VERDICT_COLORS)
  .map(([v, c]) => `.v-${v}{color:${c.text};background:${c.fill}}.verdict-box.v-${v}{border-left:4px solid ${c.text};color:inherit}`)
  .join('\n');

/** The CSS of the HTML report. */
export const PAGE_CSS = `
html[data-lang="zh"] .en, html[data-lang="en"] .zh { display: none; }
body { font-family: "Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; color: #1b1f24;
  margin: 0 auto; max-width: 1100px; padding: 16px 28px 60px; font-size: 14px; line-height: 1.45; background: #fff; }
h1, h2 { color: ${ACCENT}; } h1 { font-size: 24px; margin: 8px 0 2px; } h2 { font-size: 19px; margin: 28px 0 6px; }
h3 { font-size: 15px; color: #2f4b7c; margin: 18px 0 4px; }
.other-title, .secondary-title { color: #44546a; font-weight: normal; } .secondary-title { font-size: 14px; margin-left: 8px; }
.subtitle, .secondary { color: #5b6573; font-size: 12.5px; }
.bar { position: sticky; top: 0; background: #fff; border-bottom: 2px solid ${ACCENT}; padding: 6px 0; display: flex;
  justify-content: space-between; align-items: center; z-index: 10; font-size: 12px; color: #5b6573; }
#lang-switch { font: inherit; font-size: 13px; padding: 3px 12px; border: 1px solid ${ACCENT}; background: #e8edf5; color: ${ACCENT};
  border-radius: 3px; cursor: pointer; }
table { border-collapse: collapse; margin: 4px 0 10px; font-size: 13px; }
.table-wrap { overflow-x: auto; max-width: 100%; }
th { background: #e8edf5; color: ${ACCENT}; text-align: left; border-bottom: 1.5px solid ${ACCENT}; }
th, td { padding: 3px 7px; vertical-align: top; }
tbody tr { border-bottom: 1px solid #d5dae2; } tbody tr:nth-child(even) { background: #f7f9fc; }
table.fields th { background: none; border: 0; width: 13em; } table.fields td { word-break: break-all; }
.summary-table { width: 100%; }
td.c { text-align: center; } td.num, .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.result-table th code { white-space: nowrap; }
.major { color: #9c2b23; font-weight: bold; } .minor { color: #7a5a00; } .warn, .error, .missing { color: #b71c1c; }
.verdict { display: inline-block; font-weight: bold; padding: 1px 8px; border-radius: 3px; white-space: nowrap; }
.verdict-box { padding: 6px 10px; } .verdict-box p { margin: 3px 0; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.92em; } code.hash { word-break: break-all; }
figure { margin: 10px 0 18px; text-align: center; } figcaption { font-size: 13px; } figcaption code { color: #8a94a6; font-size: 11px; }
.plot { display: inline-block; max-width: 100%; } .plot img { max-width: 100%; height: auto; }
nav.toc ol { padding-left: 20px; } nav.toc a, a { color: ${ACCENT}; }
section.clause { border-top: 1px solid #b0b7c3; margin-top: 26px; }
@media print { .bar { position: static; } #lang-switch { display: none; } }
${verdicts}
`;
