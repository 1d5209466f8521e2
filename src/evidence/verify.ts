import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../util/errors.js';
import { hashFiles, listFiles, hashFile, type FileEntry } from './hash.js';
import { MANIFEST_FILE, SIGNATURE_FILE, UNLISTED_FILES, manifestDigest, type BundleManifest } from './manifest.js';
import { checkSignature, keyFingerprint, readPublicKey } from './signature.js';

/** Options of {@link verifyBundle}. */
export interface VerifyOptions {
  /** Ed25519 public key (object or PEM path) pinned by the lab: the signature must then be present and valid with it. */
  publicKey?: KeyObject | string;
  /**
   * The case directory to re-hash the case documents and model against (only when given: verify
   * never opens a path the manifest names). `checkCase: false` is kept for compatibility.
   */
  caseDir?: string;
  /** @deprecated the case is re-hashed only with `caseDir`. */
  checkCase?: boolean;
}

/** Outcome of {@link verifyBundle}. */
export interface VerifyResult {
  /** True when nothing changed, nothing is missing, added or refused, the manifest is intact and a present signature is valid. */
  ok: boolean;
  /** Bundle files whose SHA-256 or size differs from the manifest (`manifest.json` itself when its digest fails). */
  changed: string[];
  /** Files listed in the manifest that are gone (`manifest.json` when the manifest itself is gone). */
  missing: string[];
  /** Files in the bundle that the manifest does not list. */
  added: string[];
  /** Paths refused without reading them: absolute, `..`, symbolic links, non-regular files (each with the reason). */
  refused: string[];
  /** State of the manifest itself. */
  manifest: 'intact' | 'altered' | 'unreadable' | 'missing';
  /**
   * Signature state: `valid`/`invalid` against the pinned key or the signer key the manifest records;
   * `missing` when a key is pinned or a signer recorded but there is no manifest.sig; `unsigned` when neither.
   */
  signature: 'valid' | 'invalid' | 'missing' | 'unsigned' | 'unchecked';
  /** SHA-256 fingerprint of the key the signature was checked with (compare it with the lab's key). */
  fingerprint?: string;
  /** Case documents or model whose hash differs; empty when not checked. */
  caseChanged: string[];
  /** Whether the case documents were re-hashed (only with `caseDir`). */
  caseChecked: boolean;
  /** Number of bundle files re-hashed. */
  checked: number;
}

/** Largest manifest.json read (bytes). */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** Why a manifest path may not be opened, or undefined when it may (a regular file inside `root`). */
export function refusePath(root: string, p: unknown): string | undefined {
  if (typeof p !== 'string' || p === '') return 'not a path';
  if (isAbsolute(p) || /^[A-Za-z]:/.test(p) || p.includes('\\')) return 'absolute path';
  if (p.split('/').includes('..')) return "'..' in the path";
  const abs = resolve(root, p);
  const rel = relative(root, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return 'outside the folder';
  let cur = root;
  for (const part of rel.split(sep)) {
    cur = join(cur, part);
    let st;
    try {
      st = lstatSync(cur);
    } catch {
      return undefined; // missing: reported as missing
    }
    if (st.isSymbolicLink()) return 'symbolic link';
    if (cur !== abs && !st.isDirectory()) return 'not a regular file';
    if (cur === abs && !st.isFile()) return 'not a regular file';
  }
  return undefined;
}

function readManifest(dir: string, res: VerifyResult): { manifest?: BundleManifest; bytes?: Buffer; state: VerifyResult['manifest'] } {
  const mf = join(dir, MANIFEST_FILE);
  if (!existsSync(mf) && !isLink(mf)) return { state: 'missing' };
  const why = refusePath(dir, MANIFEST_FILE);
  if (why) {
    res.refused.push(`${MANIFEST_FILE} (${why})`);
    return { state: 'unreadable' };
  }
  if (statSync(mf).size > MAX_MANIFEST_BYTES) return { state: 'unreadable' };
  const bytes = readFileSync(mf);
  let m: BundleManifest;
  try {
    m = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as BundleManifest;
  } catch {
    return { state: 'unreadable' };
  }
  if (!m || typeof m !== 'object' || !Array.isArray(m.files) || !m.files.every((f) => f && typeof f.path === 'string')) {
    return { state: 'unreadable' };
  }
  const ok = m.digest && m.digest.algorithm === 'sha256' && m.digest.value === manifestDigest(m);
  return { manifest: m, bytes, state: ok ? 'intact' : 'altered' };
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function differs(a: FileEntry, b: FileEntry | undefined): boolean {
  return !b || a.sha256 !== b.sha256 || a.bytes !== b.bytes;
}

/** The signature check, before anything large is hashed. */
function signatureState(root: string, m: BundleManifest | undefined, opts: VerifyOptions, res: VerifyResult): void {
  const sigPresent = existsSync(join(root, SIGNATURE_FILE)) || isLink(join(root, SIGNATURE_FILE));
  if (sigPresent && refusePath(root, SIGNATURE_FILE)) {
    res.refused.push(`${SIGNATURE_FILE} (${refusePath(root, SIGNATURE_FILE)})`);
    res.signature = 'invalid';
    return;
  }
  let key: KeyObject | undefined;
  if (opts.publicKey !== undefined) key = typeof opts.publicKey === 'string' ? readPublicKey(opts.publicKey) : opts.publicKey;
  else if (m?.signer && typeof m.signer.publicKey === 'string') {
    try {
      key = createPublicKey(m.signer.publicKey);
    } catch {
      res.signature = 'invalid';
      return;
    }
  }
  if (!key) {
    res.signature = sigPresent ? 'invalid' : 'unsigned';
    return;
  }
  res.fingerprint = keyFingerprint(key);
  res.signature = checkSignature(root, key);
}

/**
 * Verifies an evidence bundle without letting it turn against the lab: reads `manifest.json`
 * (bounded), checks the Ed25519 signature first (against `--key` when pinned, else the signer key
 * the manifest records — a stale signature fails), refuses every manifest path that is absolute,
 * holds `..`, is a symbolic link or not a regular file (never opened), then re-hashes the bundle's
 * regular files streaming and compares. The case is re-hashed only with an explicit `caseDir`.
 * @param dir the bundle folder
 * @param opts pinned public key, case directory
 * @returns the lists of differences; `ok` when there are none
 * @throws InputError when `dir` is not a folder, or the key file is unreadable
 * @example
 * const r = await verifyBundle('evidence/run1', { publicKey: 'lab-pub.pem' });
 * if (!r.ok) console.log(r.changed, r.missing, r.added, r.refused);
 */
export async function verifyBundle(dir: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new InputError('bundle folder not found', {
      file: dir,
      remedy: 'give the folder `ptmc run --out` wrote (it holds manifest.json)',
    });
  }
  const res: VerifyResult = {
    ok: false,
    changed: [],
    missing: [],
    added: [],
    refused: [],
    manifest: 'missing',
    signature: 'unchecked',
    caseChanged: [],
    caseChecked: false,
    checked: 0,
  };
  const { manifest, state } = readManifest(root, res);
  res.manifest = state;
  if (state === 'missing') res.missing.push(MANIFEST_FILE);
  if (state === 'unreadable' || state === 'altered') res.changed.push(MANIFEST_FILE);
  signatureState(root, manifest, opts, res);
  if (res.signature === 'invalid') return res; // nothing large is hashed for a bundle whose signature fails
  if (manifest) {
    for (const f of manifest.files) {
      const why = refusePath(root, f.path);
      if (why) res.refused.push(`${String(f.path)} (${why})`);
    }
  }
  const present = listFiles(root, UNLISTED_FILES).filter((p) => {
    const why = refusePath(root, p);
    if (why && !res.refused.some((r) => r.startsWith(`${p} (`))) res.refused.push(`${p} (${why})`);
    return !why;
  });
  const actual = await hashFiles(root, present);
  res.checked = actual.length;
  if (manifest) {
    const listed = new Map(manifest.files.filter((f) => !refusePath(root, f.path)).map((f) => [f.path, f]));
    const seen = new Set<string>();
    for (const f of actual) {
      seen.add(f.path);
      if (!listed.has(f.path)) res.added.push(f.path);
      else if (differs(f, listed.get(f.path))) res.changed.push(f.path);
    }
    for (const p of listed.keys()) if (!seen.has(p)) res.missing.push(p);
    if (opts.caseDir !== undefined && opts.checkCase !== false) await checkCaseFiles(manifest, resolve(opts.caseDir), res);
  } else {
    res.added.push(...present);
  }
  res.missing.sort();
  res.ok =
    state === 'intact' &&
    !res.changed.length &&
    !res.missing.length &&
    !res.added.length &&
    !res.refused.length &&
    !res.caseChanged.length &&
    (res.signature === 'valid' || res.signature === 'unsigned');
  return res;
}

async function checkCaseFiles(m: BundleManifest, caseDir: string, res: VerifyResult): Promise<void> {
  const c = m.case;
  if (!c || !Array.isArray(c.files)) return;
  if (!existsSync(caseDir) || !statSync(caseDir).isDirectory())
    throw new InputError('case folder not found', {
      file: caseDir,
      field: '--case',
      remedy: 'give the case folder the bundle was made from',
    });
  res.caseChecked = true;
  const ok: FileEntry[] = [];
  for (const f of c.files) {
    const why = refusePath(caseDir, f.path);
    if (why) res.refused.push(`case: ${String(f.path)} (${why})`);
    else if (!existsSync(join(caseDir, f.path))) res.caseChanged.push(`${caseDir}/${f.path} (missing)`);
    else ok.push(f);
  }
  const now = await hashFiles(
    caseDir,
    ok.map((f) => f.path),
  );
  now.forEach((h, i) => {
    if (differs(h, ok[i])) res.caseChanged.push(`${caseDir}/${h.path}`);
  });
  if (m.model && typeof m.model.path === 'string') {
    const why = refusePath(caseDir, m.model.path);
    if (why) res.refused.push(`model: ${m.model.path} (${why})`);
    else if (!existsSync(join(caseDir, m.model.path))) res.caseChanged.push(`${caseDir}/${m.model.path} (missing)`);
    else if ((await hashFile(join(caseDir, m.model.path))).sha256 !== m.model.sha256) res.caseChanged.push(`${caseDir}/${m.model.path}`);
  }
}
