import type { EnvironmentInfo } from '../results/types.js';
import type { ReportContext } from './context.js';
import { breakable, formatValue, providerLabel, table, type PdfContent } from './format.js';
import { fallbackReason } from './reasons.js';
import { reportEnvironment } from './select.js';

function machineRows(ctx: ReportContext, env: EnvironmentInfo): PdfContent[][] {
  const { s } = ctx;
  const rows: [string, string][] = [
    [s.os, env.os],
    [s.cpu, env.cores !== undefined && !env.cpu.includes('core') ? `${env.cpu} (${env.cores} cores)` : env.cpu],
    [s.memory, env.memory],
    [s.node, env.node],
    [s.onnxruntime, env.onnxruntime],
  ];
  if (env.gpu) rows.push([s.gpu, env.gpu]);
  return rows.map(([k, v]) => [{ text: k, bold: true }, v]);
}

/**
 * Appendix A: the machine (OS, CPU, memory, Node, onnxruntime, GPU) and, per clause, the execution
 * provider that actually ran, the one requested, every fallback with its reason, and the GPU.
 */
export function environmentAppendix(ctx: ReportContext): PdfContent[] {
  const { s } = ctx;
  const main = reportEnvironment(ctx.input.results, ctx.manifest.environment);
  const perClause = ctx.input.results.map((r) => {
    const e = r.environment;
    return [
      { text: r.clause, bold: true },
      providerLabel(e.executionProvider, s),
      e.requestedProvider ?? '—',
      e.fallbacks?.length ? e.fallbacks.map((f) => f.provider).join(', ') : s.none,
      e.gpu ? breakable(e.gpu) : '—',
    ];
  });
  // the tool's own sentence in the report's language (`text`, else phrased from `reason`), keyed by provider and reason
  const reasons = new Map<string, string>();
  for (const r of ctx.input.results)
    for (const f of r.environment.fallbacks ?? [])
      if (!reasons.has(`${f.provider}\u0000${f.reason}`))
        reasons.set(`${f.provider}\u0000${f.reason}`, fallbackReason(f.text ?? f.reason, ctx.lang));
  const out: PdfContent[] = [
    { text: s.appendixEnv, style: 'h1', tocItem: true, headlineLevel: 1, margin: [0, 24, 0, 6] },
    { text: s.appendixEnvIntro, style: 'body', margin: [0, 0, 0, 6] },
    table(['', s.value], machineRows(ctx, main), [120, '*'], 8.5),
    table([ctx.s.clause, s.provider, s.requested, s.fallbacks, s.gpu], perClause, [42, 90, 80, '*', 130], 8),
  ];
  if (reasons.size) {
    const rows = [...reasons.keys()].map((k) => {
      const [provider] = k.split('\u0000') as [string, string];
      return [{ text: provider, bold: true }, breakable(reasons.get(k)!, {}, 40)];
    });
    out.push({ text: s.fallbacks, style: 'h3', headlineLevel: 3 }, table([s.provider, s.reason], rows, [80, '*'], 7.5));
  }
  return out;
}

/**
 * Appendix B: the evidence manifest: tool, dependency versions, seeds, the case documents and the
 * model with SHA-256, then every bundle file with size and SHA-256.
 */
export function manifestAppendix(ctx: ReportContext): PdfContent[] {
  const { s, manifest: m } = ctx;
  const deps = Object.entries(m.dependencies).map(([k, v]) => [k, v]);
  const seeds = Object.entries(m.seeds ?? {});
  const caseRows = (m.case?.files ?? []).map((f) => [
    breakable(f.path, {}, 24),
    { text: String(f.bytes), alignment: 'right' },
    { text: f.sha256, fontSize: 6.2 },
  ]);
  if (m.model)
    caseRows.push([
      breakable(m.model.path, {}, 24),
      { text: m.model.bytes !== undefined ? String(m.model.bytes) : '—', alignment: 'right' },
      { text: m.model.sha256, fontSize: 6.2 },
    ]);
  const fileRows = m.files.map((f) => [
    breakable(f.path, {}, 24),
    { text: String(f.bytes), alignment: 'right' },
    { text: f.sha256, fontSize: 6.2 },
  ]);
  const out: PdfContent[] = [
    { text: s.appendixManifest, style: 'h1', tocItem: true, headlineLevel: 1, margin: [0, 24, 0, 6] },
    { text: s.appendixManifestIntro, style: 'body', margin: [0, 0, 0, 6] },
    table(
      [s.tool, s.dependencies, s.seeds],
      [
        [
          `${m.tool.name} ${m.tool.version}`,
          deps.map(([k, v]) => `${k} ${v}`).join('\n'),
          seeds.length ? seeds.map(([k, v]) => `${k}: ${formatValue(v)}`).join('\n') : '—',
        ],
      ],
      ['*', '*', '*'],
      8,
    ),
  ];
  if (caseRows.length) {
    out.push(breakable(`${s.caseFiles}${m.case ? ` — ${m.case.name} (${m.case.path})` : ''}`, { style: 'h3' }, 50));
    out.push(table([s.path, s.bytes, 'SHA-256'], caseRows, ['*', 50, 235], 7.5));
  }
  out.push({ text: s.bundleFiles, style: 'h3' });
  out.push(table([s.path, s.bytes, 'SHA-256'], fileRows, ['*', 50, 235], 7.5));
  return out;
}

/**
 * Appendix: the decision rules (claims on intervals, requirement coverage, findings, clause verdicts),
 * in the report's language.
 */
export function decisionRulesAppendix(ctx: ReportContext): PdfContent[] {
  const { s } = ctx;
  return [
    // the appendices start on a new page and then follow one another (no page left with a table's last rows only)
    { text: s.decisionRules, style: 'h1', tocItem: true, pageBreak: 'before' },
    ...['decisionRulesText', 'decisionRulesCoverage', 'decisionRulesFindings', 'decisionRulesVerdict'].map((k) => ({
      text: s[k]!,
      style: 'body',
      margin: [0, 0, 0, 6],
    })),
  ];
}
