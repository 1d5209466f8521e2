import type { Command } from '../command.js';

/** A registry entry: the command's name and how to load its module (on use only, so `ptmc x` loads only x). */
export interface CommandEntry {
  name: string;
  load(): Command;
}

/**
 * The explicit registry of `ptmc` commands, in help order. Each command lives in its own module in
 * this folder; modules are required lazily (several pull in heavy dependencies).
 */
export const COMMANDS: CommandEntry[] = [
  { name: 'run', load: () => (require('./run.js') as typeof import('./run.js')).runCommand },
  { name: 'execute', load: () => (require('./execute.js') as typeof import('./execute.js')).executeCommand },
  { name: 'kernel', load: () => (require('./kernel.js') as typeof import('./kernel.js')).kernelCommand },
  { name: 'inspect', load: () => (require('./inspect.js') as typeof import('./inspect.js')).inspectCommand },
  { name: 'describe', load: () => (require('./describe.js') as typeof import('./describe.js')).describeCommand },
  { name: 'metrics', load: () => (require('./metrics.js') as typeof import('./metrics.js')).metricsCommand },
  { name: 'report', load: () => (require('./report.js') as typeof import('./report.js')).reportCommand },
  { name: 'verify', load: () => (require('./verify.js') as typeof import('./verify.js')).verifyCommand },
  { name: 'case', load: () => (require('./case.js') as typeof import('./case.js')).caseCommand },
];
