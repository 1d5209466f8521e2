import { UsageError } from '../../util/errors.js';
import { renderReport } from '../../report/render.js';
import type { ReportLang } from '../../report/strings.js';
import { parseCommandArgs, type Command } from '../command.js';

const usage = 'ptmc report RESULTS_DIR -o report.pdf [--lang zh|en]';

/** `ptmc report RESULTS_DIR -o report.pdf [--lang zh|en]`: the PDF from the clause results of a bundle. */
export const reportCommand: Command = {
  name: 'report',
  summary: 'the PDF report from clause results',
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        out: { type: 'string', short: 'o' },
        lang: { type: 'string' },
      },
      usage,
    );
    if (positionals.length !== 1)
      throw new UsageError('give exactly one RESULTS_DIR (a bundle folder or its results/ folder)', { remedy: `usage: ${usage}` });
    if (typeof values.out !== 'string' || !values.out)
      throw new UsageError('missing -o report.pdf', { field: '-o', remedy: `usage: ${usage}` });
    await renderReport(positionals[0]!, { lang: (values.lang ?? 'zh') as ReportLang, out: values.out });
    process.stderr.write(`report written: ${values.out}\n`);
    return 0;
  },
};
