/**
 * The in-kernel display channel. Library code (for instance `src/display/`) calls
 * {@link publishDisplayData} and {@link clearOutput}; when the code runs inside the ptm-conformity
 * kernel, the kernel publishes the corresponding iopub message (`display_data`,
 * `update_display_data`, `clear_output`) attributed to the request that is executing. Outside the
 * kernel (a plain Node program, a test) the functions do nothing and return `false`.
 *
 * The channel is a process-global hook stored under `Symbol.for('ptm-conformity.kernel')`, so it
 * works even when a notebook loads a second copy of this package (e.g. one installed in the
 * user's project next to the copy that runs the kernel).
 *
 * @example
 * import { publishDisplayData } from './runtime.js';
 * if (!publishDisplayData({ 'text/html': '<b>hi</b>', 'text/plain': 'hi' })) console.log('hi');
 */

/** The key of the process-global hook that the kernel installs at startup. */
export const KERNEL_HOOK_KEY: unique symbol = Symbol.for('ptm-conformity.kernel') as never;

/**
 * Objects that know how to show themselves as a cell's result implement a method under this key
 * returning a MIME bundle; the kernel uses it for `execute_result` (with `text/plain` added from
 * `util.inspect` when missing).
 * @example
 * class Table { [MIME_BUNDLE_KEY]() { return { 'text/html': '<table>…</table>' }; } }
 */
export const MIME_BUNDLE_KEY: unique symbol = Symbol.for('ptm-conformity.mimeBundle') as never;

/** Content of a `display_data` / `update_display_data` message. */
export interface DisplayContent {
  /** MIME bundle, e.g. `{ 'text/plain': '…', 'text/html': '…' }`. */
  data: Record<string, unknown>;
  /** Per-MIME metadata (e.g. `{ 'image/png': { width: 64 } }`). */
  metadata: Record<string, unknown>;
  /** Transient fields; `display_id` lets a later update replace this output. */
  transient: { display_id?: string };
}

/**
 * What the kernel installs under {@link KERNEL_HOOK_KEY}. Version-tagged so that a newer copy of
 * the package can recognise an older kernel's hook.
 */
export interface KernelHook {
  /** Hook protocol version (currently 1). */
  readonly version: 1;
  /** Publishes `display_data`, or `update_display_data` when `update` is true. */
  display(content: DisplayContent, update: boolean): void;
  /** Publishes `clear_output`. */
  clear(wait: boolean): void;
  /** Optional: a display still being prepared; the kernel waits for it before the cell's reply. */
  track?(pending: Promise<unknown>): void;
}

function currentHook(): KernelHook | undefined {
  const h = (globalThis as Record<symbol, unknown>)[KERNEL_HOOK_KEY] as KernelHook | undefined;
  return h && typeof h.display === 'function' && typeof h.clear === 'function' ? h : undefined;
}

/**
 * Installs (or, with `undefined`, removes) the process-global kernel hook. Called by the kernel at
 * startup; library code never needs it.
 * @param hook the kernel's publisher, or `undefined` to uninstall
 * @returns nothing
 * @example
 * installKernelHook({ version: 1, display: (c, u) => send(c, u), clear: (w) => sendClear(w) });
 */
export function installKernelHook(hook: KernelHook | undefined): void {
  const g = globalThis as Record<symbol, unknown>;
  if (hook) {
    Object.defineProperty(g, KERNEL_HOOK_KEY, { value: hook, configurable: true, writable: true, enumerable: false });
  } else {
    delete g[KERNEL_HOOK_KEY];
  }
}

/**
 * Whether this code runs inside the ptm-conformity kernel (the display channel is live).
 * @returns true inside the kernel
 * @example
 * if (inKernel()) publishDisplayData({ 'text/markdown': '# Result' });
 */
export function inKernel(): boolean {
  return currentHook() !== undefined;
}

/**
 * Publishes a rich output to the notebook cell that is executing.
 * @param data MIME bundle; include `text/plain` as a fallback for other front ends
 * @param metadata per-MIME metadata (default `{}`)
 * @param transient `{ display_id }` to make the output updatable later
 * @param update true to send `update_display_data` (replaces the output with the same
 *   `display_id` wherever it is shown); requires `transient.display_id`
 * @returns false when not running inside the kernel (nothing was published), true otherwise
 * @throws TypeError when `data` is not a plain object, or `update` is true without a display id
 * @example
 * publishDisplayData({ 'text/plain': '50%' }, {}, { display_id: 'progress' });
 * publishDisplayData({ 'text/plain': '100%' }, {}, { display_id: 'progress' }, true);
 */
export function publishDisplayData(
  data: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
  transient: { display_id?: string } = {},
  update = false,
): boolean {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new TypeError('publishDisplayData: data must be a MIME bundle object, e.g. { "text/plain": "…" }');
  }
  if (update && !transient.display_id) {
    throw new TypeError('publishDisplayData: update=true needs transient.display_id naming the output to replace');
  }
  const hook = currentHook();
  if (!hook) return false;
  const t: { display_id?: string } = {};
  if (transient.display_id !== undefined) t.display_id = String(transient.display_id);
  hook.display({ data, metadata: metadata ?? {}, transient: t }, update);
  return true;
}

/**
 * Clears the output of the cell that is executing.
 * @param wait true to clear only when the next output arrives (avoids flicker in animations)
 * @returns false when not running inside the kernel, true otherwise
 * @example
 * clearOutput(true);
 * publishDisplayData({ 'text/plain': `step ${i}` });
 */
export function clearOutput(wait = false): boolean {
  const hook = currentHook();
  if (!hook) return false;
  hook.clear(Boolean(wait));
  return true;
}

/**
 * Tells the kernel that a display is still being prepared (e.g. a plot being rendered), so the cell's
 * `execute_reply` waits for it and its output lands in the calling cell even when the caller does not
 * `await` it. Outside the kernel (or with a hook without `track`) it does nothing.
 * @param pending the promise that publishes the display
 * @returns nothing
 * @example
 * trackPending(renderAndPublish());
 */
export function trackPending(pending: Promise<unknown>): void {
  currentHook()?.track?.(pending);
}
