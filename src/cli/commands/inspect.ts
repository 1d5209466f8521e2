import type { Command } from '../command.js';
import { parseCommandArgs } from '../command.js';
import { UsageError } from '../../util/errors.js';
import { formatInspection } from '../../model/format.js';
import { inspectModel } from '../../model/inspect.js';

const USAGE = `ptmc inspect MODEL.onnx [--input-shape NAME=1,1,256,256]… [--json] [--no-layers]

  --input-shape NAME=D1,D2,…   concrete shape of an input (needed to count MACs when it has symbolic dims); repeatable
  --json                       machine-readable output (DESIGN.md contract)
  --no-layers                  omit the per-layer table from the human output`;

/**
 * Parses `NAME=1,1,256,256` into `[name, dims]`.
 * @throws UsageError when malformed
 */
export function parseInputShape(s: string): [string, number[]] {
  const eq = s.lastIndexOf('=');
  const name = eq > 0 ? s.slice(0, eq) : '';
  const dims =
    eq > 0
      ? s
          .slice(eq + 1)
          .split(/[,x×]/)
          .map((d) => Number(d.trim()))
      : [];
  if (!name || dims.length === 0 || dims.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new UsageError(`--input-shape "${s}" is not NAME=D1,D2,… with positive integers`, {
      field: '--input-shape',
      remedy: 'e.g. --input-shape input=1,1,256,256',
    });
  }
  return [name, dims];
}

/** `ptmc inspect`: model identity and structure (summary and per-layer table, or `--json`). */
export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'model identity and structure',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        'input-shape': { type: 'string', multiple: true },
        json: { type: 'boolean' },
        'no-layers': { type: 'boolean' },
      },
      USAGE,
    );
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length ? 'give one model file' : 'no model file given', { remedy: `usage:\n${USAGE}` });
    }
    const inputShapes: Record<string, number[]> = {};
    for (const s of (values['input-shape'] as string[] | undefined) ?? []) {
      const [k, v] = parseInputShape(s);
      inputShapes[k] = v;
    }
    const r = await inspectModel(positionals[0], { inputShapes });
    process.stdout.write((values.json ? JSON.stringify(r, null, 2) : formatInspection(r, !values['no-layers'])) + '\n');
    return 0;
  },
};

export default inspectCommand;
