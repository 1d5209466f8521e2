import { initCase, initCaseFromModel } from '../../case/init.js';
import { UsageError } from '../../util/errors.js';
import { parseCommandArgs, type Command } from '../command.js';

const usage = 'ptmc case init DIR [--model MODEL.onnx] [--task classification|segmentation|detection|text]';

/**
 * `ptmc case init DIR [--model MODEL.onnx] [--task …]`: writes a case skeleton (case.json, description.json, claims.json),
 * filled in from the model when one is given; refuses a non-empty DIR (exit 2).
 */
export const caseCommand: Command = {
  name: 'case',
  summary: 'create a case skeleton (case.json, description.json, claims.json)',
  usage,
  async run(argv) {
    const { positionals, values } = parseCommandArgs(argv, { model: { type: 'string' }, task: { type: 'string' } }, usage);
    if (positionals[0] !== 'init' || positionals.length !== 2)
      throw new UsageError(positionals[0] && positionals[0] !== 'init' ? `unknown sub-command "${positionals[0]}"` : 'give: init DIR', {
        remedy: `usage: ${usage}`,
      });
    const task = values.task as string | undefined;
    if (task && !['classification', 'segmentation', 'detection', 'text'].includes(task))
      throw new UsageError(`unknown task "${task}"`, { remedy: 'give --task classification, segmentation, detection or text' });
    const files = values.model
      ? await initCaseFromModel(positionals[1]!, values.model as string, { task: task as 'classification' | undefined })
      : initCase(positionals[1]!);
    process.stdout.write(
      `wrote ${files.length} files:\n${files.map((f) => `  ${f}`).join('\n')}\nnext: add model.onnx and ` +
        `data/, replace every TODO, then \`ptmc describe check ${positionals[1]}/description.json ` +
        `--model ${positionals[1]}/model.onnx\`\n`,
    );
    return 0;
  },
};
