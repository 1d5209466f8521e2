import { initCase } from '../../case/init.js';
import { UsageError } from '../../util/errors.js';
import { parseCommandArgs, type Command } from '../command.js';

const usage = 'ptmc case init DIR';

/** `ptmc case init DIR`: writes a case skeleton (case.json, description.json, claims.json); refuses a non-empty DIR (exit 2). */
export const caseCommand: Command = {
  name: 'case',
  summary: 'create a case skeleton (case.json, description.json, claims.json)',
  usage,
  async run(argv) {
    const { positionals } = parseCommandArgs(argv, {}, usage);
    if (positionals[0] !== 'init' || positionals.length !== 2)
      throw new UsageError(positionals[0] && positionals[0] !== 'init' ? `unknown sub-command "${positionals[0]}"` : 'give: init DIR', {
        remedy: `usage: ${usage}`,
      });
    const files = initCase(positionals[1]!);
    process.stdout.write(
      `wrote ${files.length} files:\n${files.map((f) => `  ${f}`).join('\n')}\nnext: add model.onnx and ` +
        `data/, replace every TODO, then \`ptmc describe check ${positionals[1]}/description.json ` +
        `--model ${positionals[1]}/model.onnx\`\n`,
    );
    return 0;
  },
};
