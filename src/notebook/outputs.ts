/**
 * Turning iopub messages into nbformat outputs the way nbclient does: consecutive stream outputs
 * of the same name merged, `clear_output` (with `wait`), `update_display_data` applied to every
 * output with that display id, execution counts and the per-cell `metadata.execution` timings.
 *
 * @see https://github.com/jupyter/nbclient/blob/main/nbclient/client.py (process_message, output)
 */
import type { DecodedMessage } from '../jupyter/wire.js';
import type { CodeCell, DisplayDataOutput, ExecuteResultOutput, Output } from './nbformat.js';

/**
 * A MIME bundle as nbformat requires it: JSON types (`application/json`, `…+json`) as they are,
 * every other type as a string or a list of strings (anything else is written as JSON text).
 * @param data the bundle a kernel sent
 */
export function cleanBundle(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    const isJson = k === 'application/json' || /^application\/.*\+json$/.test(k);
    const isText = typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
    out[k] = isJson || isText ? v : (JSON.stringify(v) ?? String(v));
  }
  return out;
}

/** Outputs (across the whole notebook) that carry a display id. */
export type DisplayIndex = Map<string, (DisplayDataOutput | ExecuteResultOutput)[]>;

/**
 * Records the iopub messages of one execute request into a code cell.
 * @example
 * const rec = new CellRecorder(cell, displays);
 * client.onIopubFor(msgId, (m) => rec.handle(m));
 */
export class CellRecorder {
  /** True once `status: idle` for the request arrived. */
  idle = false;
  private clearPending = false;

  /**
   * @param cell the code cell to fill (its outputs are reset)
   * @param displays the notebook-wide display-id index (shared between cells)
   */
  constructor(
    readonly cell: CodeCell,
    private readonly displays: DisplayIndex,
  ) {
    this.forget(cell.outputs);
    cell.outputs = [];
    cell.execution_count = null;
    cell.metadata.execution = {};
  }

  private timing(key: string, m: DecodedMessage): void {
    const date = typeof m.header.date === 'string' && m.header.date ? m.header.date : new Date().toISOString();
    this.cell.metadata.execution![key] = date;
  }

  private forget(outputs: Output[]): void {
    for (const [id, list] of this.displays) {
      const kept = list.filter((o) => !outputs.includes(o));
      if (kept.length) this.displays.set(id, kept);
      else this.displays.delete(id);
    }
  }

  private clearNow(): void {
    this.forget(this.cell.outputs);
    this.cell.outputs = [];
  }

  private add(out: Output, displayId?: unknown): void {
    if (this.clearPending) {
      this.clearNow();
      this.clearPending = false;
    }
    const outs = this.cell.outputs;
    const last = outs[outs.length - 1];
    if (out.output_type === 'stream' && last?.output_type === 'stream' && last.name === out.name) {
      last.text = String(last.text) + String(out.text);
      return;
    }
    outs.push(out);
    if (typeof displayId === 'string' && (out.output_type === 'display_data' || out.output_type === 'execute_result')) {
      const list = this.displays.get(displayId) ?? [];
      list.push(out);
      this.displays.set(displayId, list);
    }
  }

  /**
   * Applies one iopub message whose parent is this cell's request.
   * @param m the message
   */
  handle(m: DecodedMessage): void {
    const c = m.content as Record<string, unknown>;
    const data = cleanBundle(c.data !== null && typeof c.data === 'object' ? (c.data as Record<string, unknown>) : {});
    const metadata = (c.metadata !== null && typeof c.metadata === 'object' && !Array.isArray(c.metadata) ? c.metadata : {}) as Record<
      string,
      unknown
    >;
    const displayId = (c.transient as { display_id?: unknown } | undefined)?.display_id;
    switch (m.header.msg_type) {
      case 'status':
        if (c.execution_state === 'busy') this.timing('iopub.status.busy', m);
        if (c.execution_state === 'idle') {
          this.timing('iopub.status.idle', m);
          this.idle = true;
        }
        return;
      case 'execute_input':
        this.timing('iopub.execute_input', m);
        if (typeof c.execution_count === 'number') this.cell.execution_count = c.execution_count;
        return;
      case 'stream':
        this.add({ output_type: 'stream', name: c.name === 'stderr' ? 'stderr' : 'stdout', text: String(c.text ?? '') });
        return;
      case 'display_data':
        this.add({ output_type: 'display_data', data, metadata }, displayId);
        return;
      case 'execute_result': {
        const n = typeof c.execution_count === 'number' ? c.execution_count : this.cell.execution_count;
        this.add({ output_type: 'execute_result', execution_count: n, data, metadata }, displayId);
        return;
      }
      case 'update_display_data':
        if (typeof displayId === 'string') {
          for (const o of this.displays.get(displayId) ?? []) {
            o.data = data;
            o.metadata = metadata;
          }
        }
        return;
      case 'error':
        this.add({
          output_type: 'error',
          ename: String(c.ename ?? 'Error'),
          evalue: String(c.evalue ?? ''),
          traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
        });
        return;
      case 'clear_output':
        if (c.wait) this.clearPending = true;
        else {
          this.clearNow();
          this.clearPending = false;
        }
        return;
      default:
        // comm_*, debug_event and others are not notebook outputs
        return;
    }
  }

  /**
   * Applies the `execute_reply`: its timing and execution count.
   * @param m the reply
   */
  handleReply(m: DecodedMessage): void {
    this.timing('shell.execute_reply', m);
    const n = (m.content as { execution_count?: unknown }).execution_count;
    if (typeof n === 'number') this.cell.execution_count = n;
  }

  /**
   * Appends an error output made by the executor (a timeout, a dead kernel).
   * @param ename error name
   * @param evalue error message
   */
  addError(ename: string, evalue: string): void {
    this.clearPending = false;
    this.add({ output_type: 'error', ename, evalue, traceback: [`${ename}: ${evalue}`] });
  }

  /** The last error output of the cell, if any (the executor's own timeout or dead-kernel error). */
  lastError(): { ename: string; evalue: string } | undefined {
    const e = [...this.cell.outputs].reverse().find((o) => o.output_type === 'error');
    return e && e.output_type === 'error' ? { ename: e.ename, evalue: e.evalue } : undefined;
  }

  /** The first error output of the cell, if any. */
  firstError(): { ename: string; evalue: string } | undefined {
    const e = this.cell.outputs.find((o) => o.output_type === 'error');
    return e && e.output_type === 'error' ? { ename: e.ename, evalue: e.evalue } : undefined;
  }
}
