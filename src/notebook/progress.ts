/**
 * Progress of a notebook execution: the events the executor emits and the default stderr
 * renderer (a bar on a TTY, one line per cell otherwise).
 */

/** What the executor reports while it runs. */
export type ProgressEvent =
  | { kind: 'kernel-ready'; kernel: string; pid: number; ms: number }
  | { kind: 'cell-start'; index: number; done: number; total: number }
  | { kind: 'cell-end'; index: number; done: number; total: number; status: 'ok' | 'error' | 'timeout' | 'dead'; ms: number }
  | { kind: 'warning'; message: string }
  | { kind: 'end'; ok: boolean; ms: number };

function bar(done: number, total: number, width = 24): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/**
 * The default progress renderer on a stream (stderr).
 * @param stream where to write (default `process.stderr`)
 * @param label prefix of each line, e.g. the notebook's file name
 * @returns a progress callback for `executeNotebook`
 * @example
 * await executeNotebook({ input, output, progress: stderrProgress(process.stderr, 'hello.ipynb') });
 */
export function stderrProgress(stream: NodeJS.WriteStream = process.stderr, label = 'ptmc execute'): (ev: ProgressEvent) => void {
  const tty = Boolean(stream.isTTY);
  let barShown = false;
  const endBar = () => {
    if (barShown) stream.write('\n');
    barShown = false;
  };
  return (ev) => {
    switch (ev.kind) {
      case 'kernel-ready':
        endBar();
        stream.write(`${label}: kernel ${ev.kernel} (pid ${ev.pid}) ready in ${(ev.ms / 1000).toFixed(2)} s\n`);
        return;
      case 'warning':
        endBar();
        stream.write(`${label}: warning: ${ev.message}\n`);
        return;
      case 'cell-start':
        if (tty) {
          stream.write(`\r${label} ${bar(ev.done, ev.total)} ${ev.done}/${ev.total}  running cell ${ev.index}\x1b[K`);
          barShown = true;
        }
        return;
      case 'cell-end':
        if (tty) {
          stream.write(
            `\r${label} ${bar(ev.done, ev.total)} ${ev.done}/${ev.total}  cell ${ev.index} ${ev.status} ` +
              `(${(ev.ms / 1000).toFixed(2)} s)\x1b[K`,
          );
          barShown = true;
        } else {
          stream.write(`${label}: cell ${ev.index} (${ev.done}/${ev.total}) ${ev.status} in ${(ev.ms / 1000).toFixed(2)} s\n`);
        }
        return;
      case 'end':
        endBar();
        stream.write(`${label}: ${ev.ok ? 'done' : 'failed'} in ${(ev.ms / 1000).toFixed(2)} s\n`);
        return;
    }
  };
}
