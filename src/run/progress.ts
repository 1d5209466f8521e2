/** What `runEvidence` reports while it runs. */
export type RunProgressEvent =
  | { kind: 'start'; total: number; skipped: string[]; out: string }
  | { kind: 'clause-start'; clause: string; notebook: string; index: number; total: number }
  | { kind: 'cell'; clause: string; done: number; cells: number }
  | { kind: 'clause-end'; clause: string; index: number; total: number; ok: boolean; verdict: string; ms: number; error?: string }
  | { kind: 'phase'; message: string }
  | { kind: 'end'; ok: boolean; ms: number };

function bar(done: number, total: number, width = 28): string {
  const filled = total === 0 ? width : Math.min(width, Math.round((done / total) * width));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/**
 * The overall progress of `ptmc run` on a stream: on a TTY one bar redrawn in place (clauses done,
 * the running clause and its cell); otherwise one line per clause start and end.
 * @param stream where to write (default `process.stderr`)
 * @param tty force TTY or line mode (default: the stream's `isTTY`)
 * @example
 * await runEvidence({ progress: runProgress(process.stderr) });
 */
export function runProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } = process.stderr,
  tty = Boolean(stream.isTTY),
): (ev: RunProgressEvent) => void {
  let total = 0;
  let done = 0;
  let current = '';
  let t0 = Date.now();
  const draw = (detail: string) => {
    const cols = stream.columns ?? 100;
    const line = `${bar(done, total)} ${done}/${total} ${current} ${detail} ${((Date.now() - t0) / 1000).toFixed(0)} s`;
    stream.write(`\r${line.slice(0, cols - 1).padEnd(Math.min(cols - 1, line.length + 8))}`);
  };
  return (ev) => {
    switch (ev.kind) {
      case 'start':
        total = ev.total;
        t0 = Date.now();
        stream.write(`ptmc run: ${ev.total} clause notebook(s) → ${ev.out}\n`);
        if (ev.skipped.length) stream.write(`ptmc run: no notebook yet for ${ev.skipped.join(', ')} (skipped)\n`);
        return;
      case 'clause-start':
        current = ev.notebook;
        if (tty) draw('starting kernel…');
        else stream.write(`ptmc run: [${ev.index + 1}/${ev.total}] ${ev.notebook} …\n`);
        return;
      case 'cell':
        if (tty) draw(`cell ${ev.done}/${ev.cells}`);
        return;
      case 'clause-end': {
        done = ev.index + 1;
        const msg =
          `${ev.clause} ${ev.ok ? 'executed' : 'FAILED'} (${(ev.ms / 1000).toFixed(1)} s) → ${ev.verdict}` +
          `${ev.error ? ` — ${ev.error}` : ''}`;
        if (tty) {
          stream.write(`\r${' '.repeat(Math.min(120, (stream.columns ?? 100) - 1))}\r  ${msg}\n`);
          draw('');
        } else stream.write(`ptmc run: [${ev.index + 1}/${ev.total}] ${msg}\n`);
        return;
      }
      case 'phase':
        if (tty) stream.write(`\r${' '.repeat(Math.min(120, (stream.columns ?? 100) - 1))}\r`);
        stream.write(`ptmc run: ${ev.message}\n`);
        return;
      case 'end':
        stream.write(`ptmc run: ${ev.ok ? 'every clause executed' : 'some clauses failed to execute'} in ${(ev.ms / 1000).toFixed(1)} s\n`);
        return;
    }
  };
}
