import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { collectEnvironment } from '../util/environment.js';
import { InputError } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';
import type { EnvironmentInfo } from '../results/types.js';
import { writeFileAtomic } from '../util/fs.js';
import { compareStrings, hashFiles, listFiles, hashFile, sha256Hex, type FileEntry } from './hash.js';

/** File name of the manifest inside a bundle. */
export const MANIFEST_FILE = 'manifest.json';
/** File name of the manifest's detached Ed25519 signature (base64) inside a bundle. */
export const SIGNATURE_FILE = 'manifest.sig';
/** Files of a bundle that the manifest does not list (itself, its signature). */
export const UNLISTED_FILES: ReadonlySet<string> = new Set([MANIFEST_FILE, SIGNATURE_FILE]);

/** Dependencies whose versions every manifest records. */
export const RECORDED_DEPENDENCIES = ['onnxruntime-node', 'tslab', 'pdfmake', 'plotly.js-dist', 'danfojs-node', 'ajv'] as const;

/** The evidence bundle's manifest (`manifest.json`, DESIGN.md "Evidence bundle"). */
export interface BundleManifest {
  /** Format version of this document. */
  manifestVersion: 1;
  tool: { name: string; version: string };
  createdAt: string;
  /** The evaluated case: its name, directory and the hashed case documents (paths relative to the case). */
  case: { name: string; path: string; files: FileEntry[] } | null;
  /** The model file: path (relative to the case when inside it), SHA-256, size, declared name and version. */
  model: { path: string; sha256: string; bytes?: number; name?: string; version?: string } | null;
  environment: EnvironmentInfo;
  /** Installed versions of the recorded dependencies (`not installed` when absent). */
  dependencies: Record<string, string>;
  seeds: Record<string, number>;
  startedAt: string | null;
  finishedAt: string | null;
  /** Every file of the bundle except the manifest and its signature, sorted by path. */
  files: FileEntry[];
  /** The signer's Ed25519 public key (PEM) and fingerprint, when the bundle is signed. */
  signer?: { publicKey: string; fingerprint: string };
  /** The template notebooks executed: name and SHA-256; `custom` when they came from `--notebooks DIR`. */
  templates?: { custom: boolean; dir: string; notebooks: { name: string; sha256: string }[] };
  /** How the bundle was made: `ptmc run`'s recorded options and, per clause, the input hashes of its result. */
  run?: RunRecord;
  /** SHA-256 of the canonical JSON of this document without `digest` (detects corruption of the manifest itself). */
  digest: { algorithm: 'sha256'; value: string };
}

/** What the caller knows about the run; everything else the manifest collects itself. */
export interface BundleManifestInfo {
  /** The case: its name, directory, and the case documents to hash (paths relative to `dir`). */
  case?: { name: string; dir: string; files: string[] };
  /** The model file (absolute or relative to the working directory). `sha256` is recomputed when absent. */
  model?: { path: string; sha256?: string; name?: string; version?: string };
  /** Defaults to {@link collectEnvironment} of this machine. */
  environment?: EnvironmentInfo;
  seeds?: Record<string, number>;
  startedAt?: string;
  finishedAt?: string;
  /** Defaults to now, or `SOURCE_DATE_EPOCH` when set. */
  createdAt?: string;
  /** The signer block (see {@link BundleManifest.signer}). */
  signer?: { publicKey: string; fingerprint: string };
  /** The template notebooks executed (see {@link BundleManifest.templates}). */
  templates?: { custom: boolean; dir: string; notebooks: { name: string; sha256: string }[] };
  /** How the bundle was made (see {@link BundleManifest.run}). */
  run?: RunRecord;
}

/** The `run` block of a manifest: options (case, clauses, provider, language, seed, profile…) and clause inputs. */
export interface RunRecord {
  options: Record<string, unknown>;
  /** True when the run was finished by `ptmc run --resume`. */
  resumed: boolean;
  /** SHA-256 of the case, model, notebook and parameters each clause's result was made from; `reused` after a resume. */
  clauses: { clause: string; inputs: { case: string; model: string; notebook: string; parameters: string }; reused: boolean }[];
}

/** Name and version of this package. */
export function toolInfo(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
}

/**
 * Installed versions of {@link RECORDED_DEPENDENCIES}, read from their package.json files.
 * @example
 * dependencyVersions().pdfmake; // '0.3.11'
 */
export function dependencyVersions(): Record<string, string> {
  const req = createRequire(join(packageRoot(), 'package.json'));
  const out: Record<string, string> = {};
  for (const name of RECORDED_DEPENDENCIES) {
    try {
      out[name] = (req(`${name}/package.json`) as { version: string }).version;
    } catch {
      out[name] = 'not installed';
    }
  }
  return out;
}

/** `SOURCE_DATE_EPOCH` (seconds) as a Date when set and valid, else `undefined`. */
export function sourceDateEpoch(): Date | undefined {
  const v = process.env.SOURCE_DATE_EPOCH;
  if (v === undefined || !/^\d+$/.test(v.trim())) return undefined;
  return new Date(Number(v.trim()) * 1000);
}

/** JSON with object keys sorted recursively (the form the manifest digest is computed over). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort(compareStrings);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The digest a manifest should carry: SHA-256 of its canonical JSON without `digest`. */
export function manifestDigest(m: Omit<BundleManifest, 'digest'> | BundleManifest): string {
  const { digest: _drop, ...rest } = m as BundleManifest;
  return sha256Hex(canonicalJson(rest));
}

function insideDir(dir: string, p: string): boolean {
  const rel = relative(dir, p);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Builds (without writing) the manifest of a bundle: hashes every file under `bundleDir` except
 * `manifest.json`, `manifest.sig` and `exclude`, and the case documents and model.
 * @param bundleDir the evidence bundle folder
 * @param info what the run knows (case, model, seeds, times)
 * @param exclude further relative paths to leave out (the report renders a provisional manifest before it exists)
 * @throws InputError when a case document or the model named in `info` cannot be read
 */
export async function buildManifest(
  bundleDir: string,
  info: BundleManifestInfo = {},
  exclude: readonly string[] = [],
): Promise<BundleManifest> {
  const root = resolve(bundleDir);
  const skip = new Set([...UNLISTED_FILES, ...exclude]);
  const files = await hashFiles(root, listFiles(root, skip));
  let caseBlock: BundleManifest['case'] = null;
  if (info.case) {
    const dir = resolve(info.case.dir);
    const rels = [...new Set(info.case.files.map((f) => relative(dir, resolve(dir, f)).split(sep).join('/')))].sort(compareStrings);
    for (const r of rels) {
      if (!existsSync(join(dir, r))) {
        throw new InputError(`case file ${r} does not exist`, {
          file: join(dir, r),
          field: '/case/files',
          remedy: 'name only files that exist in the case directory',
        });
      }
    }
    caseBlock = { name: info.case.name, path: dir, files: await hashFiles(dir, rels) };
  }
  let model: BundleManifest['model'] = null;
  if (info.model) {
    const abs = resolve(info.model.path);
    if (!existsSync(abs)) {
      throw new InputError(`model file ${abs} does not exist`, { file: abs, field: '/model', remedy: 'check the model path of the case' });
    }
    const h = await hashFile(abs);
    const caseDir = caseBlock?.path;
    model = {
      path: caseDir && insideDir(caseDir, abs) ? relative(caseDir, abs).split(sep).join('/') : abs,
      sha256: h.sha256,
      bytes: h.bytes,
    };
    if (info.model.name) model.name = info.model.name;
    if (info.model.version) model.version = info.model.version;
  }
  const created = info.createdAt ?? (sourceDateEpoch() ?? new Date()).toISOString();
  const body: Omit<BundleManifest, 'digest'> = {
    manifestVersion: 1,
    tool: toolInfo(),
    createdAt: created,
    case: caseBlock,
    model,
    environment: info.environment ?? collectEnvironment(),
    dependencies: dependencyVersions(),
    seeds: info.seeds ?? {},
    startedAt: info.startedAt ?? null,
    finishedAt: info.finishedAt ?? null,
    files,
    ...(info.signer ? { signer: info.signer } : {}),
    ...(info.templates ? { templates: info.templates } : {}),
    ...(info.run ? { run: info.run } : {}),
  };
  return { ...body, digest: { algorithm: 'sha256', value: manifestDigest(body) } };
}

/**
 * Writes `<bundleDir>/manifest.json` (atomically): every file of the bundle with SHA-256 and size,
 * the case documents and model hashed, tool and dependency versions, environment, seeds, times.
 * A `manifest.sig` left from an earlier manifest is removed (it no longer matches): sign again after writing.
 * @param bundleDir the evidence bundle folder
 * @param info what the run knows
 * @returns the manifest written
 * @throws InputError when a case document or the model cannot be read
 * @example
 * await writeManifest('evidence/run1', { seeds: { default: 42 } });
 */
export async function writeManifest(bundleDir: string, info: BundleManifestInfo = {}): Promise<BundleManifest> {
  const m = await buildManifest(bundleDir, info);
  rmSync(join(bundleDir, SIGNATURE_FILE), { force: true });
  writeFileAtomic(join(bundleDir, MANIFEST_FILE), JSON.stringify(m, null, 2) + '\n');
  return m;
}
