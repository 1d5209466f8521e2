/**
 * Run profiles of `ptmc run --profile`: `default` keeps every notebook's own defaults (sized for a
 * 2-core machine); `full` runs every clause at its judging budget (the evidence minimums of the clauses:
 * 6.3.6 ≥ 30 samples per severity, 6.3.8 ≥ 20 attacked samples × 1000 queries, the case's own training
 * settings for 6.3.1 and 6.3.3). Each notebook also gets the `profile` parameter, which it records.
 */

/** The profiles `ptmc run` knows. */
export const PROFILES = ['default', 'full'] as const;

/** One of {@link PROFILES}. */
export type Profile = (typeof PROFILES)[number];

const FULL: Record<string, Record<string, unknown>> = {
  '6.3.1': { trainable: 'case', maxSeconds: 1800 },
  '6.3.3': { trainable: 'case', maxSeconds: 1800 },
  '6.3.6': { samples: 40 },
  '6.3.8': { samples: 20, maxQueries: 1000 },
};

/**
 * The notebook parameters a profile sets for one clause (always `profile` itself).
 * @example
 * profileParameters('full', '6.3.8'); // { profile: 'full', samples: 20, maxQueries: 1000 }
 */
export function profileParameters(profile: Profile, clause: string): Record<string, unknown> {
  return { profile, ...(profile === 'full' ? (FULL[clause] ?? {}) : {}) };
}
