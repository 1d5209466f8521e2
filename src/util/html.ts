/** HTML escaping shared by the display helpers and the kernel's value rendering. */

/**
 * Escapes text for HTML element content and attribute values (`& < > " '`).
 * @param s any value (converted with `String`)
 * @returns the escaped text
 * @example
 * escapeHtml('<script>'); // '&lt;script&gt;'
 */
export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
