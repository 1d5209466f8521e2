/**
 * Emitting MIME bundles: through the kernel's display channel (`src/kernel/runtime.ts`) inside the
 * ptm-conformity kernel, else as the `text/plain` fallback on stdout (plain Node, scripts, tests).
 */
import { publishDisplayData } from '../kernel/runtime.js';
import type { MimeBundle } from '../jupyter/nbformat-types.js';
import { escapeHtml } from '../util/html.js';

export type { MimeBundle };

/** Options shared by every display helper. */
export interface DisplayOptions {
  /**
   * A display id: the output can later be replaced with {@link updateDisplay} (or by calling the
   * helper again with the same id and `update: true`).
   */
  displayId?: string;
  /** Replace the output shown under `displayId` instead of adding a new one. */
  update?: boolean;
  /** Per-MIME metadata, e.g. `{ 'image/png': { width: 256 } }`. */
  metadata?: Record<string, unknown>;
  /** What to print outside the kernel when the bundle has no `text/plain`. */
  fallbackText?: string;
}

/**
 * Publishes a MIME bundle: a `display_data` (or `update_display_data`) message inside the kernel;
 * outside it, prints the bundle's `text/plain` (else `opts.fallbackText`, else a list of its MIME
 * types) to stdout.
 * @param bundle the MIME bundle (should include `text/plain`)
 * @param opts display id, update flag and metadata
 * @returns true when the kernel published it, false when it was printed instead
 * @throws TypeError when `update` is set without a `displayId`
 * @example
 * emitBundle({ 'text/html': '<b>ok</b>', 'text/plain': 'ok' }, { displayId: 'status' });
 */
export function emitBundle(bundle: MimeBundle, opts: DisplayOptions = {}): boolean {
  const transient = opts.displayId !== undefined ? { display_id: opts.displayId } : {};
  if (publishDisplayData(bundle, opts.metadata ?? {}, transient, Boolean(opts.update))) return true;
  const text =
    typeof bundle['text/plain'] === 'string'
      ? (bundle['text/plain'] as string)
      : (opts.fallbackText ?? `[${Object.keys(bundle).join(', ')}]`);
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return false;
}

/**
 * Replaces the output shown under a display id with a new MIME bundle (`update_display_data`).
 * Build the bundle with the `*Bundle` functions (e.g. {@link tableBundle}, {@link plotBundle}).
 * @param displayId the id given when the output was first displayed
 * @param bundle the new content
 * @param metadata per-MIME metadata
 * @returns true when published in the kernel, false when printed to stdout
 * @example
 * displayMarkdown('**0 %**', { displayId: 'progress' });
 * updateDisplay('progress', markdownBundle('**100 %**'));
 */
export function updateDisplay(displayId: string, bundle: MimeBundle, metadata: Record<string, unknown> = {}): boolean {
  return emitBundle(bundle, { displayId, update: true, metadata });
}

export { escapeHtml };
