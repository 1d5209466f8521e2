import { bundleDiffHtml, diffBundles, formatBundleDiff } from '../../evidence/diff.js';
import { UsageError } from '../../util/errors.js';
import { parseCommandArgs, type Command } from '../command.js';

const usage = 'ptmc diff BUNDLE_A BUNDLE_B [--json | --html]';

/** `ptmc diff A B`: verdict, claim, measurement and setting changes; exit 0 when no verdict changed, 1 otherwise. */
export const diffCommand: Command = {
  name: 'diff',
  summary: 'compare two evidence bundles: verdicts, claims, measurements beyond their CIs, settings',
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' }, html: { type: 'boolean' } }, usage);
    if (positionals.length !== 2) throw new UsageError('give two bundle folders', { remedy: `usage: ${usage}` });
    if (values.json && values.html)
      throw new UsageError('--json and --html exclude each other', { field: '--html', remedy: `usage: ${usage}` });
    const d = diffBundles(positionals[0]!, positionals[1]!);
    process.stdout.write(values.json ? JSON.stringify(d, null, 2) + '\n' : values.html ? bundleDiffHtml(d) : formatBundleDiff(d));
    return d.verdictChanged ? 1 : 0;
  },
};
