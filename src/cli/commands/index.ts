import type { Command } from '../command.js';
import { pendingCommand } from '../command.js';
import { inspectCommand } from './inspect.js';
import { reportCommand } from './report.js';
import { verifyCommand } from './verify.js';
import { executeCommand } from './execute.js';
import { kernelCommand } from './kernel.js';

/**
 * The explicit registry of `ptmc` commands. Each command lives in its own module in this folder
 * and is added here by name.
 */
export const COMMANDS: Command[] = [
  pendingCommand('run', 'execute the clause notebooks for a case and write the evidence bundle', 'ptmc run [--case DIR] [--out DIR] [--only 6.2,6.3.4] [--ep auto|cpu|webgpu|cuda] [--lang zh|en] [--timeout SEC]'),
  executeCommand,
  kernelCommand,
  inspectCommand,
  pendingCommand('describe', 'check a model description (6.2)', 'ptmc describe check DESCRIPTION.json [--model MODEL.onnx] [--json]'),
  pendingCommand('metrics', 'A.10 metrics from files', 'ptmc metrics classification|segmentation --truth FILE --pred FILE [--scores FILE] [--average …] [--json]'),
  reportCommand,
  verifyCommand,
  pendingCommand('case', 'create a case skeleton', 'ptmc case init DIR'),
];
