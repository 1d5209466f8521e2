import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../util/errors.js';
import { checkChoice } from '../../util/choice.js';
import { renderReport } from '../../report/render.js';
import { renderHtmlReport } from '../../report/html/render.js';
import type { ReportLang } from '../../report/strings.js';
import { parseCommandArgs, type Command } from '../command.js';

const usage = 'ptmc report RESULTS_DIR -o report.pdf|DIR/ [--lang zh|en] [--format pdf|html]';
const FORMATS = ['pdf', 'html'] as const;

/**
 * `ptmc report RESULTS_DIR -o OUT [--lang zh|en] [--format pdf|html]`: the PDF (default) or the
 * self-contained HTML report from the clause results of a bundle. `-o` names the file, or (ending in `/`)
 * a folder that then receives `report.pdf` / `report.html`.
 */
export const reportCommand: Command = {
  name: 'report',
  summary: 'the PDF (or HTML) report from clause results',
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        out: { type: 'string', short: 'o' },
        lang: { type: 'string' },
        format: { type: 'string' },
      },
      usage,
    );
    if (positionals.length !== 1)
      throw new UsageError('give exactly one RESULTS_DIR (a bundle folder or its results/ folder)', { remedy: `usage: ${usage}` });
    if (typeof values.out !== 'string' || !values.out)
      throw new UsageError('missing -o report.pdf', { field: '-o', remedy: `usage: ${usage}` });
    const format = checkChoice(values.format ?? 'pdf', FORMATS, 'report format', '--format');
    // a folder only when written as one (`out/`): `-o` naming an existing folder stays an error (EISDIR), as before
    const isDir = values.out.endsWith('/');
    if (isDir) mkdirSync(values.out, { recursive: true });
    const out = isDir ? join(values.out, `report.${format}`) : values.out;
    const lang = (values.lang ?? 'zh') as ReportLang;
    if (format === 'html') await renderHtmlReport(positionals[0]!, { lang, out });
    else await renderReport(positionals[0]!, { lang, out });
    process.stderr.write(`report written: ${out}\n`);
    return 0;
  },
};
