/**
 * What both report formats (PDF and HTML) show, chosen once: the summary page's findings and the appendix's
 * machine description. The formats only lay these out.
 */
import type { ClauseResult, EnvironmentInfo, Finding } from '../results/types.js';

/**
 * The major and minor findings of every clause beside its verdict (6.2's itemised checks are in its own section);
 * informational findings are counted only.
 */
export function summaryFindingList(results: readonly ClauseResult[]): {
  shown: { result: ClauseResult; finding: Finding }[];
  info: number;
} {
  const shown: { result: ClauseResult; finding: Finding }[] = [];
  let info = 0;
  for (const result of results) {
    if (result.clause === '6.2') continue;
    for (const finding of result.findings ?? []) {
      if (finding.severity === 'info') info++;
      else shown.push({ result, finding });
    }
  }
  return { shown, info };
}

/** The machine of the run (the first result's, else the manifest's), with every GPU a clause saw. */
export function reportEnvironment(results: readonly ClauseResult[], fallback: EnvironmentInfo): EnvironmentInfo {
  const env = results[0]?.environment ?? fallback;
  const gpus = new Set(results.map((r) => r.environment.gpu).filter(Boolean));
  const main = { ...env };
  if (!main.gpu && gpus.size) main.gpu = [...gpus].join('; ');
  return main;
}
