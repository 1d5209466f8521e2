import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../util/errors.js';
import { hashFiles, listFiles, hashFile, type FileEntry } from './hash.js';
import { MANIFEST_FILE, SIGNATURE_FILE, UNLISTED_FILES, manifestDigest, type BundleManifest } from './manifest.js';
import { checkSignature } from './signature.js';

/** Options of {@link verifyBundle}. */
export interface VerifyOptions {
  /** Ed25519 public key (object or PEM path): the signature must then be present and valid. */
  publicKey?: KeyObject | string;
  /** Also re-hash the case documents and model when the case directory recorded in the manifest exists (default true). */
  checkCase?: boolean;
}

/** Outcome of {@link verifyBundle}. */
export interface VerifyResult {
  /** True when nothing changed, nothing is missing or added, the manifest is intact and (when a key was given) the signature is valid. */
  ok: boolean;
  /** Bundle files whose SHA-256 or size differs from the manifest (`manifest.json` itself when its digest fails). */
  changed: string[];
  /** Files listed in the manifest that are gone (`manifest.json` when the manifest itself is gone). */
  missing: string[];
  /** Files in the bundle that the manifest does not list. */
  added: string[];
  /** State of the manifest itself. */
  manifest: 'intact' | 'altered' | 'unreadable' | 'missing';
  /** Signature state: `unchecked` when no key was given. */
  signature: 'valid' | 'invalid' | 'missing' | 'unchecked';
  /** Case documents or model (outside the bundle) whose hash differs; empty when not checked. */
  caseChanged: string[];
  /** Whether the case documents were re-hashed. */
  caseChecked: boolean;
  /** Number of bundle files re-hashed. */
  checked: number;
}

function readManifest(dir: string): { manifest?: BundleManifest; state: VerifyResult['manifest'] } {
  const mf = join(dir, MANIFEST_FILE);
  if (!existsSync(mf)) return { state: 'missing' };
  let m: BundleManifest;
  try {
    m = JSON.parse(readFileSync(mf, 'utf8')) as BundleManifest;
  } catch {
    return { state: 'unreadable' };
  }
  if (!m || typeof m !== 'object' || !Array.isArray(m.files) || !m.files.every((f) => f && typeof f.path === 'string')) {
    return { state: 'unreadable' };
  }
  const ok = m.digest && m.digest.algorithm === 'sha256' && m.digest.value === manifestDigest(m);
  return { manifest: m, state: ok ? 'intact' : 'altered' };
}

function differs(a: FileEntry, b: FileEntry | undefined): boolean {
  return !b || a.sha256 !== b.sha256 || a.bytes !== b.bytes;
}

/**
 * Re-hashes every file of an evidence bundle and compares with its manifest: files changed,
 * missing or added; the manifest's own digest; the Ed25519 signature when a key is given; and
 * the case documents and model when the case directory still exists. Reads only files found by
 * walking the bundle (paths inside the manifest are never opened).
 * @param dir the bundle folder
 * @param opts public key, case check
 * @returns the lists of differences; `ok` when there are none
 * @throws InputError when `dir` is not a folder, or the key file is unreadable
 * @example
 * const r = await verifyBundle('evidence/run1', { publicKey: 'lab-pub.pem' });
 * if (!r.ok) console.log(r.changed, r.missing, r.added);
 */
export async function verifyBundle(dir: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new InputError('bundle folder not found', {
      file: dir,
      remedy: 'give the folder `ptmc run --out` wrote (it holds manifest.json)',
    });
  }
  const { manifest, state } = readManifest(root);
  const res: VerifyResult = {
    ok: false,
    changed: [],
    missing: [],
    added: [],
    manifest: state,
    signature: 'unchecked',
    caseChanged: [],
    caseChecked: false,
    checked: 0,
  };
  if (state === 'missing') res.missing.push(MANIFEST_FILE);
  if (state === 'unreadable' || state === 'altered') res.changed.push(MANIFEST_FILE);
  const present = listFiles(root, UNLISTED_FILES);
  const actual = await hashFiles(root, present);
  res.checked = actual.length;
  if (manifest) {
    const listed = new Map(manifest.files.map((f) => [f.path, f]));
    const seen = new Set<string>();
    for (const f of actual) {
      seen.add(f.path);
      if (!listed.has(f.path)) res.added.push(f.path);
      else if (differs(f, listed.get(f.path))) res.changed.push(f.path);
    }
    for (const p of listed.keys()) if (!seen.has(p)) res.missing.push(p);
    if (opts.checkCase !== false) await checkCase(manifest, res);
  } else {
    res.added.push(...present);
  }
  if (opts.publicKey !== undefined) res.signature = checkSignature(root, opts.publicKey);
  else if (existsSync(join(root, SIGNATURE_FILE))) res.signature = 'unchecked';
  res.missing.sort();
  res.ok = state === 'intact' && !res.changed.length && !res.missing.length && !res.added.length && !res.caseChanged.length &&
    (res.signature === 'valid' || res.signature === 'unchecked');
  return res;
}

async function checkCase(m: BundleManifest, res: VerifyResult): Promise<void> {
  const c = m.case;
  if (!c || typeof c.path !== 'string' || !Array.isArray(c.files) || !existsSync(c.path)) return;
  res.caseChecked = true;
  const present = c.files.filter((f) => existsSync(join(c.path, f.path)));
  for (const f of c.files) if (!present.includes(f)) res.caseChanged.push(`${c.path}/${f.path} (missing)`);
  const now = await hashFiles(c.path, present.map((f) => f.path));
  now.forEach((h, i) => {
    if (differs(h, present[i])) res.caseChanged.push(`${c.path}/${h.path}`);
  });
  if (m.model && typeof m.model.path === 'string') {
    const abs = resolve(c.path, m.model.path);
    if (!existsSync(abs)) res.caseChanged.push(`${abs} (missing)`);
    else {
      if ((await hashFile(abs)).sha256 !== m.model.sha256) res.caseChanged.push(abs);
    }
  }
}
