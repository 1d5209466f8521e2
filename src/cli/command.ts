import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Parsed options and positionals of a command line. */
export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}
import { UsageError } from '../util/errors.js';

/** One `ptmc` sub-command. */
export interface Command {
  /** First word after `ptmc`. */
  name: string;
  /** One line for `ptmc --help`. */
  summary: string;
  /** Full usage text for `ptmc NAME --help`. */
  usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(argv: string[]): Promise<number>;
}

/**
 * `util.parseArgs` with strict checking whose errors become {@link UsageError} (exit 2).
 * @param argv arguments after the command name
 * @param options option definitions
 * @param usage the command's usage text, appended to the error
 */
export function parseCommandArgs(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  usage: string,
  allowPositionals = true,
): ParsedArgs {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true }) as ParsedArgs;
  } catch (e) {
    throw new UsageError((e as Error).message, { remedy: `usage:\n${usage}` });
  }
}
