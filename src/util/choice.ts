/**
 * The check of an enumerated option (execution provider, report language…), done once, where a value enters
 * the library (`runEvidence`, `renderReport`, `openModel`).
 */
import { UsageError } from './errors.js';

/**
 * Returns `value` when it is one of `allowed`, else throws.
 * @param value the value given
 * @param allowed the accepted values
 * @param what what the value is, for the message (`execution provider`)
 * @param field the option or field that carried it (`--ep`)
 * @throws UsageError naming the value, the field and the accepted values
 * @example
 * checkChoice('en', LANGS, 'language', '--lang'); // 'en'
 */
export function checkChoice<T extends string>(value: unknown, allowed: readonly T[], what: string, field: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`unknown ${what} "${String(value)}"`, { field, remedy: `use one of ${allowed.join(', ')}` });
}
