/**
 * SIGINT, SIGTERM and SIGHUP during `ptmc run`: the kernels are killed (process group, descendants,
 * connection folder), the bundle is left marked INCOMPLETE, and the process exits 128 + the signal's
 * number (130, 143, 129), as a shell reports a process killed by that signal.
 */
import { killAllKernels, liveKernelExits } from '../notebook/launch.js';

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

/**
 * Installs the handlers until the returned function is called.
 * @param mark called synchronously first, with the signal's name (writes the INCOMPLETE note)
 * @returns the function that removes the handlers
 * @example
 * const done = onInterrupt((sig) => writeIncomplete(`interrupted by ${sig}`));
 * try { await work(); } finally { done(); }
 */
export function onInterrupt(mark: (signal: NodeJS.Signals) => void): () => void {
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const sig of Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]) {
    const h = () => {
      try {
        mark(sig);
      } catch (e) {
        process.stderr.write(`ptmc run: could not mark the bundle incomplete: ${(e as Error).message}\n`);
      }
      const dying = liveKernelExits();
      killAllKernels();
      process.stderr.write(`\nptmc run: stopped by ${sig}; the bundle is incomplete (resume it with ptmc run --resume DIR)\n`);
      const t = setTimeout(() => process.exit(128 + SIGNALS[sig]), 1000);
      void Promise.all(dying).then(() => {
        clearTimeout(t);
        process.exit(128 + SIGNALS[sig]);
      });
    };
    handlers.set(sig, h);
    process.on(sig, h);
  }
  return () => {
    for (const [sig, h] of handlers) process.off(sig, h);
  };
}
