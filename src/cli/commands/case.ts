import { initCase, initCaseFromModel } from '../../case/init.js';
import { checkCase } from '../../case/preflight.js';
import { UsageError } from '../../util/errors.js';
import { parseCommandArgs, type Command } from '../command.js';

const usage =
  'ptmc case init DIR [--model MODEL.onnx] [--task classification|segmentation|detection|text] | ptmc case check DIR [--allow-adapter]';

/**
 * `ptmc case init DIR [--model MODEL.onnx] [--task …]`: writes a case skeleton (case.json, description.json, claims.json),
 * filled in from the model when one is given; refuses a non-empty DIR (exit 2).
 * `ptmc case check DIR`: the preflight alone — every problem of the case at once (exit 2), or the cost of a clean check (exit 0).
 */
export const caseCommand: Command = {
  name: 'case',
  summary: 'create a case skeleton (init) or check a case before a run (check)',
  usage,
  async run(argv) {
    const spec = { model: { type: 'string' }, task: { type: 'string' }, 'allow-adapter': { type: 'boolean' } } as const;
    const { positionals, values } = parseCommandArgs(argv, spec, usage);
    const sub = positionals[0];
    if ((sub !== 'init' && sub !== 'check') || positionals.length !== 2)
      throw new UsageError(sub && sub !== 'init' && sub !== 'check' ? `unknown sub-command "${sub}"` : 'give: init DIR or check DIR', {
        remedy: `usage: ${usage}`,
      });
    if (sub === 'check') {
      if (values['allow-adapter'] === true) process.env.PTMC_ALLOW_ADAPTER = '1';
      const r = await checkCase(positionals[1]!, (l) => process.stdout.write(`${l}\n`));
      process.stdout.write(
        `case ok / 案例检查通过: ${r.samples} samples, ${r.files} files, ${(r.bytes / 1048576).toFixed(1)} MiB checked in ` +
          `${(r.ms / 1000).toFixed(1)} s\n`,
      );
      return 0;
    }
    const task = values.task as string | undefined;
    if (task && !['classification', 'segmentation', 'detection', 'text'].includes(task))
      throw new UsageError(`unknown task "${task}"`, { remedy: 'give --task classification, segmentation, detection or text' });
    const files = values.model
      ? await initCaseFromModel(positionals[1]!, values.model as string, { task: task as 'classification' | undefined })
      : initCase(positionals[1]!);
    process.stdout.write(
      `wrote ${files.length} files:\n${files.map((f) => `  ${f}`).join('\n')}\nnext: add model.onnx and ` +
        `data/, replace every TODO, then \`ptmc describe check ${positionals[1]}/description.json ` +
        `--model ${positionals[1]}/model.onnx\``,
    );
    process.stdout.write('\n');
    return 0;
  },
};
