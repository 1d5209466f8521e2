import { checkDescription } from '../../clauses/6.2-description/evaluate.js';
import { UsageError } from '../../util/errors.js';
import type { ClauseResult } from '../../results/types.js';
import { parseCommandArgs, type Command } from '../command.js';

const usage = 'ptmc describe check DESCRIPTION.json [--model MODEL.onnx] [--input-shape NAME=1,1,64,64]… [--json]';

/** A value as text; a `{zh, en}` text in English (the CLI's language). */
function text(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  const o = v as Record<string, unknown>;
  if (!Array.isArray(v) && typeof o['en'] === 'string' && typeof o['zh'] === 'string' && Object.keys(o).length === 2) return o['en'];
  return JSON.stringify(v);
}

/**
 * Human-readable lines of a 6.2 result: the verdict, then every missing or noted item and every
 * accuracy check with declared and measured values.
 * @param r the ClauseResult of `checkDescription`
 */
export function formatDescriptionResult(r: ClauseResult): string {
  const rat = typeof r.rationale === 'string' ? r.rationale : r.rationale.en;
  const lines = [`6.2 description: ${r.verdict.toUpperCase()} — ${rat}`];
  for (const f of (r.findings ?? []) as Record<string, unknown>[]) {
    if (f.kind === 'completeness' && f.status !== 'present')
      lines.push(
        `  [${String(f.status)}] ${String(f.clause)} ${String(f.pointer)} (${String(f.strength)})${f.note ? ` — ${text(f.note)}` : ''}`,
      );
    if (f.kind === 'accuracy')
      lines.push(
        `  [${String(f.status)}] ${String(f.clause)} ${text(f.check)}: declared ${text(f.declared)}, measured ${text(f.measured)}`,
      );
  }
  return lines.join('\n');
}

function parseShapes(v: unknown): Record<string, number[]> | undefined {
  const list = (Array.isArray(v) ? v : v === undefined ? [] : [v]) as string[];
  if (!list.length) return undefined;
  const out: Record<string, number[]> = {};
  for (const s of list) {
    const m = /^([^=]+)=(\d+(?:,\d+)*)$/.exec(s);
    if (!m) throw new UsageError(`bad --input-shape "${s}"`, { field: '--input-shape', remedy: 'write NAME=1,1,64,64' });
    out[m[1]!] = m[2]!.split(',').map(Number);
  }
  return out;
}

/**
 * `ptmc describe check DESCRIPTION.json [--model M] [--json]`: clause 6.2. Exit 0 when complete and
 * consistent, 1 when a shall item is missing or a declaration is inconsistent (or, without a
 * model, inconclusive), 2 on bad input (missing file, schema violation).
 */
export const describeCommand: Command = {
  name: 'describe',
  summary: 'check a model description for completeness and accuracy (6.2)',
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        model: { type: 'string' },
        'input-shape': { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
      usage,
    );
    if (positionals[0] !== 'check' || positionals.length !== 2)
      throw new UsageError(
        positionals[0] && positionals[0] !== 'check' ? `unknown sub-command "${positionals[0]}"` : 'give: check DESCRIPTION.json',
        { remedy: `usage: ${usage}` },
      );
    const r = await checkDescription(positionals[1]!, {
      modelPath: values.model as string | undefined,
      inputShapes: parseShapes(values['input-shape']),
    });
    if (values.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    else process.stdout.write(formatDescriptionResult(r) + '\n');
    return r.verdict === 'pass' ? 0 : 1;
  },
};
