import type { EpChoice } from '../model/types.js';
import type { ReportLang } from '../report/strings.js';
import type { Profile } from './profiles.js';
import type { RunProgressEvent } from './progress.js';
import type { FailOn } from './summary.js';

/** Options of {@link runEvidence} (the CLI flags of `ptmc run`). */
export interface RunOptions {
  /** Case folder (default: the bundled CT case `<package>/examples/ct-body-segmentation`). */
  caseDir?: string;
  /** Bundle folder to create (default `./evidence/<UTC timestamp>`); must not exist or be empty. */
  out?: string;
  /** Clauses to run (default: all of the registry). */
  only?: string[];
  ep?: EpChoice;
  /** Report language (default `zh`). */
  lang?: ReportLang;
  /** Per-cell time limit in seconds (default none). */
  timeoutSec?: number;
  /** Folder of the clause notebooks (default `<package>/notebooks`). */
  notebooksDir?: string;
  /** Ed25519 private key (PEM) to sign the manifest with (`manifest.sig`). */
  signKey?: string;
  /** Seed passed to every notebook (default: the case's `seeds.default`, else 42). */
  seed?: number;
  /** Let 6.3.1 run the case's `training.command` (provider code; sandboxed). Default false. */
  allowProviderCommands?: boolean;
  /** Run an allowed provider command without the sandbox (default false). */
  noSandbox?: boolean;
  /** `default` (the notebooks' 2-core defaults) or `full` (every clause at its judging budget). */
  profile?: Profile;
  /** Progress callback (see `runProgress`). */
  progress?: (ev: RunProgressEvent) => void;
  /** Gate for CI: `summary.gate` lists the clauses that meet this condition (the CLI then exits 3). */
  failOn?: FailOn;
  /**
   * Finish the interrupted run in this folder: its recorded options apply (only `signKey`, `failOn`,
   * `progress` and `caseDir` may be given), clauses whose recorded input hashes still match are re-used.
   */
  resume?: string;
  /** Handle SIGINT/SIGTERM/SIGHUP: kill the kernels, mark the bundle incomplete, exit 128 + n (the CLI sets it). */
  handleSignals?: boolean;
}
