import type { Command } from '../command.js';
import { pendingCommand } from '../command.js';
import { inspectCommand } from './inspect.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { verifyCommand } from './verify.js';
import { executeCommand } from './execute.js';
import { kernelCommand } from './kernel.js';
import { describeCommand } from './describe.js';
import { caseCommand } from './case.js';
import { metricsCommand } from './metrics.js';

/**
 * The explicit registry of `ptmc` commands. Each command lives in its own module in this folder
 * and is added here by name.
 */
export const COMMANDS: Command[] = [
  runCommand,
  executeCommand,
  kernelCommand,
  inspectCommand,
  describeCommand,
  metricsCommand,
  reportCommand,
  verifyCommand,
  caseCommand,
];
