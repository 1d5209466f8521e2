import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../util/errors.js';
import { writeFileAtomic } from '../util/fs.js';
import { MANIFEST_FILE, SIGNATURE_FILE } from './manifest.js';

function readKey(file: string, kind: 'private' | 'public'): KeyObject {
  if (!existsSync(file)) {
    const pub = kind === 'public' ? '; `openssl pkey -in key.pem -pubout -out pub.pem`' : '';
    throw new InputError(`${kind} key file not found`, {
      file,
      remedy: `give an Ed25519 ${kind} key in PEM (e.g. \`openssl genpkey -algorithm ed25519 -out key.pem\`${pub})`,
    });
  }
  let key: KeyObject;
  try {
    const pem = readFileSync(file);
    key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
  } catch (e) {
    throw new InputError(`cannot read the ${kind} key: ${(e as Error).message}`, {
      file,
      remedy: `give an Ed25519 ${kind} key in PEM format`,
      cause: e,
    });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new InputError(`the ${kind} key is ${key.asymmetricKeyType ?? 'not asymmetric'}, not Ed25519`, {
      file,
      remedy: 'create an Ed25519 key: `openssl genpkey -algorithm ed25519 -out key.pem`',
    });
  }
  return key;
}

/**
 * Reads an Ed25519 private key (PEM, PKCS#8).
 * @throws InputError naming the file when it is missing, unreadable or not Ed25519
 */
export function readPrivateKey(file: string): KeyObject {
  return readKey(file, 'private');
}

/**
 * Reads an Ed25519 public key (PEM, SPKI). A private key file is accepted too (its public half is used).
 * @throws InputError naming the file when it is missing, unreadable or not Ed25519
 */
export function readPublicKey(file: string): KeyObject {
  return readKey(file, 'public');
}

/**
 * Signs `<bundleDir>/manifest.json` (its exact bytes) with Ed25519 and writes the base64
 * signature to `<bundleDir>/manifest.sig`.
 * @param bundleDir the bundle folder (its manifest must exist)
 * @param privateKey a key object, or the path of a PEM file
 * @returns the path of the signature file
 * @throws InputError when the manifest or the key is missing or the key is not Ed25519
 * @example
 * signManifest('evidence/run1', 'keys/lab-ed25519.pem');
 */
export function signManifest(bundleDir: string, privateKey: KeyObject | string): string {
  const key = typeof privateKey === 'string' ? readPrivateKey(privateKey) : privateKey;
  const mf = join(bundleDir, MANIFEST_FILE);
  if (!existsSync(mf)) {
    throw new InputError('the bundle has no manifest to sign', { file: mf, remedy: 'write the manifest first (writeManifest)' });
  }
  const sig = sign(null, readFileSync(mf), key).toString('base64');
  const out = join(bundleDir, SIGNATURE_FILE);
  writeFileAtomic(out, sig + '\n');
  return out;
}

/**
 * Checks `manifest.sig` against the bytes of `manifest.json`.
 * @returns `valid`, `invalid` (wrong key, altered manifest or altered signature) or `missing` (no signature file)
 */
export function checkSignature(bundleDir: string, publicKey: KeyObject | string): 'valid' | 'invalid' | 'missing' {
  const key = typeof publicKey === 'string' ? readPublicKey(publicKey) : publicKey;
  const sf = join(bundleDir, SIGNATURE_FILE);
  const mf = join(bundleDir, MANIFEST_FILE);
  if (!existsSync(sf) || !existsSync(mf)) return 'missing';
  const text = readFileSync(sf, 'utf8').trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return 'invalid';
  try {
    return verify(null, readFileSync(mf), key, Buffer.from(text, 'base64')) ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}

/**
 * SHA-256 fingerprint of an Ed25519 public key (of its SPKI DER encoding), as `SHA256:` and hex.
 * @example
 * keyFingerprint(readPublicKey('lab-pub.pem')); // 'SHA256:3f…'
 */
export function keyFingerprint(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return `SHA256:${createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;
}

/**
 * The signer block a manifest records: the public key (PEM) and its fingerprint.
 * @param privateKey the signing key (object or PEM path)
 */
export function signerInfo(privateKey: KeyObject | string): { publicKey: string; fingerprint: string } {
  const key = typeof privateKey === 'string' ? readPrivateKey(privateKey) : privateKey;
  const pub = createPublicKey(key);
  return { publicKey: pub.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: keyFingerprint(pub) };
}
