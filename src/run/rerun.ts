/**
 * `ptmc verify --rerun BUNDLE [--case DIR]`: re-execution as evidence. The bundle is verified first
 * (signature, then every file; the case re-hashed); then the template notebooks that made it — the
 * installed ones, or `--notebooks DIR`, each of which must have the SHA-256 the manifest records, so a
 * bundle can never make the lab run code of its own — run again with the recorded options and seeds in
 * a temporary folder, and each clause's result is compared with the bundle's: verdicts, claim decisions
 * and every non-timing measurement must be identical; timings are compared by CI overlap.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compareClauseResults, type ClauseComparison } from '../evidence/compare.js';
import { hashFile } from '../evidence/hash.js';
import { MANIFEST_FILE, type BundleManifest } from '../evidence/manifest.js';
import { verifyBundle, type VerifyResult } from '../evidence/verify.js';
import type { EpChoice } from '../model/types.js';
import type { ReportLang } from '../report/strings.js';
import { InputError } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';
import type { Profile } from './profiles.js';
import type { RunProgressEvent } from './progress.js';
import { runEvidence, type RunSummary } from './run.js';

/** Options of {@link rerunBundle}. */
export interface RerunOptions {
  /** The case to re-run on (default: the case folder the manifest records). */
  caseDir?: string;
  /** Pinned public key for the verification (see `verifyBundle`). */
  publicKey?: string;
  /** Folder of the template notebooks (default: the installed ones); their hashes must match the manifest. */
  notebooksDir?: string;
  /** Keep the re-run's bundle (default: removed). */
  keep?: boolean;
  progress?: (ev: RunProgressEvent) => void;
  /** Handle SIGINT/SIGTERM as `ptmc run` does (the CLI sets it). */
  handleSignals?: boolean;
}

/** What {@link rerunBundle} found. */
export interface RerunResult {
  /** True when the bundle verified and every clause re-ran with identical results (timings are listed, not counted). */
  ok: boolean;
  verify: VerifyResult;
  /** Why nothing was re-run (bundle not intact, templates differ), when so. */
  refused?: string;
  clauses: ClauseComparison[];
  /** The re-run's bundle (removed unless `keep`). */
  out?: string;
  /** The re-run itself (undefined when refused). */
  run?: RunSummary;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Template notebooks whose SHA-256 differs from the manifest's record (or that are missing). */
async function templateMismatches(m: BundleManifest, dir: string): Promise<string[]> {
  const bad: string[] = [];
  for (const t of m.templates?.notebooks ?? []) {
    const f = join(dir, t.name);
    if (!existsSync(f)) bad.push(`${t.name} (missing in ${dir})`);
    else if ((await hashFile(f)).sha256 !== t.sha256) bad.push(`${t.name} (SHA-256 differs from the manifest's)`);
  }
  return bad;
}

/**
 * Verifies a bundle, re-executes its clauses and compares the results (see the module comment).
 * @param bundle the evidence bundle folder
 * @param o case, key, templates folder, keep
 * @throws InputError (exit 2) when the manifest records no case and no `caseDir` is given
 * @example
 * const r = await rerunBundle('evidence/run1', { caseDir: 'cases/ct' });
 * r.clauses.map((c) => `${c.clause} ${c.identical ? 'identical' : 'differs'}`);
 */
export async function rerunBundle(bundle: string, o: RerunOptions = {}): Promise<RerunResult> {
  const dir = resolve(bundle);
  const manifestFile = join(dir, MANIFEST_FILE);
  const recordedCase = existsSync(manifestFile) ? (readJson(manifestFile) as BundleManifest).case?.path : undefined;
  const caseDir = o.caseDir ?? recordedCase;
  if (!caseDir)
    throw new InputError('the manifest records no case folder to re-run on', {
      file: manifestFile,
      field: '/case/path',
      remedy: 'give the case with --case DIR',
    });
  const verify = await verifyBundle(dir, { publicKey: o.publicKey, caseDir });
  if (!verify.ok) return { ok: false, verify, refused: 'the bundle does not verify (see the list); nothing was re-run', clauses: [] };
  const m = readJson(manifestFile) as BundleManifest;
  const nbDir = resolve(o.notebooksDir ?? join(packageRoot(), 'notebooks'));
  const bad = await templateMismatches(m, nbDir);
  if (bad.length || !m.templates?.notebooks.length)
    return {
      ok: false,
      verify,
      refused:
        `the template notebooks that made the bundle are not the ones in ${nbDir}: ${bad.join('; ') || 'none recorded'}; ` +
        'give the right folder with --notebooks DIR (nothing was re-run)',
      clauses: [],
    };
  const r = (m.run?.options ?? {}) as Record<string, unknown>;
  const bundleResults = m.files.filter((f) => /^results\/[^/]+\.json$/.test(f.path)).map((f) => f.path.slice(8, -5));
  const out = join(mkdtempSync(join(tmpdir(), 'ptmc-rerun-')), 'bundle');
  let run: RunSummary | undefined;
  try {
    run = await runEvidence({
      caseDir,
      out,
      notebooksDir: nbDir,
      only: (r.only as string[] | undefined) ?? bundleResults,
      ep: (r.ep as EpChoice | undefined) ?? 'auto',
      lang: (r.lang as ReportLang | undefined) ?? 'zh',
      timeoutSec: r.timeoutSec as number | undefined,
      seed: (r.seed as number | undefined) ?? m.seeds.default,
      allowProviderCommands: r.allowProviderCommands === true,
      noSandbox: r.noSandbox === true,
      profile: (r.profile as Profile | undefined) ?? 'default',
      progress: o.progress,
      handleSignals: o.handleSignals,
    });
    const clauses = bundleResults.map((clause) => {
      const mine = join(out, 'results', `${clause}.json`);
      if (!existsSync(mine))
        return { clause, identical: false, differences: ['the re-run wrote no result for this clause'], timings: [] } as ClauseComparison;
      return compareClauseResults(readJson(join(dir, 'results', `${clause}.json`)), readJson(mine), [dir, out], [m.case?.path, caseDir]);
    });
    // timings whose intervals do not overlap are listed, not counted: they depend on the machine and its load
    const ok = clauses.every((c) => c.identical);
    return { ok, verify, clauses, out: o.keep ? out : undefined, run };
  } finally {
    if (!o.keep) rmSync(resolve(out, '..'), { recursive: true, force: true });
  }
}
