/**
 * `ptmc kernel install [--user | --prefix DIR] [--name NAME] [--display-name NAME]` and
 * `ptmc kernel list [--json]`: register the project's Jupyter kernel without Python, and show the
 * kernels Jupyter (and `ptmc execute --kernel`) can find.
 */
import type { Command } from '../command.js';
import { parseCommandArgs } from '../command.js';
import { UsageError } from '../../util/errors.js';
import { installKernelSpec } from '../../kernel/install.js';
import { listKernelSpecs } from '../../jupyter/kernelspec.js';

const USAGE = [
  'ptmc kernel install [--user | --prefix DIR] [--name NAME] [--display-name NAME]',
  '    writes kernel.json and logos to ~/.local/share/jupyter/kernels/NAME/ (--user, the default;',
  '    $JUPYTER_DATA_DIR/kernels/NAME/ when set) or DIR/share/jupyter/kernels/NAME/ (--prefix).',
  '    NAME defaults to ptm-typescript, the display name to "TypeScript (ptm-conformity)".',
  'ptmc kernel list [--json]',
  '    the kernels found on JUPYTER_PATH, the user folder and /usr/{local/,}share/jupyter.',
].join('\n');

function install(argv: string[]): number {
  const { values } = parseCommandArgs(
    argv,
    { user: { type: 'boolean' }, prefix: { type: 'string' }, name: { type: 'string' }, 'display-name': { type: 'string' } },
    USAGE,
    false,
  );
  if (values.user && values.prefix !== undefined) {
    throw new UsageError('--user and --prefix exclude each other', { field: '--prefix', remedy: `usage:\n${USAGE}` });
  }
  const r = installKernelSpec({
    prefix: values.prefix as string | undefined,
    name: values.name as string | undefined,
    displayName: values['display-name'] as string | undefined,
  });
  process.stdout.write(`Installed kernelspec ${r.name} ("${r.spec.display_name}") in ${r.dir}\n`);
  return 0;
}

function list(argv: string[]): number {
  const { values } = parseCommandArgs(argv, { json: { type: 'boolean' } }, USAGE, false);
  const specs = listKernelSpecs();
  if (values.json) {
    process.stdout.write(
      JSON.stringify({ kernelspecs: Object.fromEntries(specs.map((k) => [k.name, { resource_dir: k.dir, spec: k.spec }])) }, null, 2) +
        '\n',
    );
  } else {
    const w = Math.max(...specs.map((k) => k.name.length));
    process.stdout.write('Available kernels:\n' + specs.map((k) => `  ${k.name.padEnd(w)}    ${k.dir}\n`).join(''));
  }
  return 0;
}

/** The `ptmc kernel` command. */
export const kernelCommand: Command = {
  name: 'kernel',
  summary: 'install the Jupyter kernelspec (no Python needed); list kernels',
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    const [sub, ...rest] = argv;
    if (sub === 'install') return install(rest);
    if (sub === 'list') return list(rest);
    throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand', { remedy: `usage:\n${USAGE}` });
  },
};
