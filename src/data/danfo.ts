/**
 * Lazy access to danfojs-node: importing it costs about two seconds (tfjs), so modules that only
 * sometimes build DataFrames load it on first use instead of at import time.
 */
import type * as Danfo from 'danfojs-node';

let mod: typeof Danfo | undefined;

/**
 * The danfojs-node module, loaded on first call.
 * @returns the module (`DataFrame`, `Series`, …)
 * @example
 * const df = new (danfo().DataFrame)({ a: [1, 2] });
 */
export function danfo(): typeof Danfo {
   
  if (!mod) mod = require('danfojs-node') as typeof Danfo;
  return mod;
}
