/** 6.3.1's run of the provider's own training command: opt-in, sandboxed, its log analysed for convergence. */
import * as os from 'node:os';
import { join } from 'node:path';
import type { LoadedCase } from '../../case/types.js';
import { analyzeConvergence, type ConvergenceAnalysis } from '../../training/convergence.js';
import { pythonHasModule, resolveCommand, runProviderTraining, type ProviderRunResult } from '../../training/provider.js';

/** The provider command's run as 6.3.1 records it. */
export type ProviderCommandRun = ProviderRunResult & {
  analysis?: ConvergenceAnalysis;
  skipped?: string;
  skippedZh?: string;
  notAllowed?: boolean;
};

/** The options of the 6.3.1 evaluation that decide whether and how the provider command runs. */
export interface ProviderCommandOptions {
  useProviderCommand?: boolean | 'auto';
  allowProviderCommands?: boolean;
  noSandbox?: boolean;
  outDir?: string;
  onProviderLine?: (line: string) => void;
}

/** Runs the case's `training.command` when the options allow it (else says why not), and analyses its logged losses. */
export async function runProvider(c: LoadedCase, o: ProviderCommandOptions): Promise<ProviderCommandRun | undefined> {
  const cmd = c.spec.training?.command;
  if (!cmd || o.useProviderCommand === false) return undefined;
  if (!o.allowProviderCommands)
    return {
      skipped: 'not run (not allowed): provider commands run only with ptmc run --allow-provider-commands',
      skippedZh: '未运行（未允许）：提供方命令仅在 ptmc run --allow-provider-commands 时运行',
      notAllowed: true,
    } as ProviderCommandRun;
  const py = resolveCommand(cmd.argv)[0]!;
  if (o.useProviderCommand !== true) {
    if ((cmd.timeoutSec ?? 600) > 120)
      return {
        skipped: `not run by default: its time limit (${cmd.timeoutSec ?? 600} s) exceeds the notebook budget; set useProviderCommand=true`,
        skippedZh: `默认不运行：其时间上限（${cmd.timeoutSec ?? 600} 秒）超出笔记本预算；请设置 useProviderCommand=true`,
      } as ProviderCommandRun;
    if (/python/.test(py) && !pythonHasModule(py, 'torch'))
      return {
        skipped: `not run: ${py} cannot import torch (install python3-torch)`,
        skippedZh: `未运行：${py} 无法导入 torch（请安装 python3-torch）`,
      } as ProviderCommandRun;
  }
  const logPath = join(o.outDir ?? os.tmpdir(), 'logs', '6.3.1-provider-training.log');
  const r = await runProviderTraining({
    cwd: c.dir,
    argv: cmd.argv,
    timeoutSec: cmd.timeoutSec,
    metrics: cmd.metrics,
    logPath,
    sandbox: o.noSandbox ? 'none' : 'bwrap',
    onLine: (l) => o.onProviderLine?.(l),
  });
  const losses = r.records.map((x) => x['loss']).filter((v): v is number => v !== undefined);
  // The provider logs one loss per record (usually per epoch): the final and initial losses are the
  // logged end points, not the smoothed curve's (smoothing a 3-point log would report 1.05 for a last 0.80).
  return {
    ...r,
    analysis: losses.length
      ? analyzeConvergence(losses, {
          validation: r.records.map((x) => x['valLoss'] ?? x['val_loss'] ?? NaN),
          initial: losses[0],
          final: losses[losses.length - 1],
        })
      : undefined,
  };
}
