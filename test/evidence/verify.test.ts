import { strict as assert } from 'node:assert';
import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  appendFileSync,
  symlinkSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildManifest,
  canonicalJson,
  dependencyVersions,
  manifestDigest,
  writeManifest,
  type BundleManifest,
} from '../../src/evidence/manifest.js';
import { hashFiles } from '../../src/evidence/hash.js';
import { signManifest, signerInfo } from '../../src/evidence/signature.js';
import { verifyBundle } from '../../src/evidence/verify.js';
import { main } from '../../src/cli/main.js';
import { InputError } from '../../src/util/errors.js';
import { packageRoot } from '../../src/util/package-root.js';

const FIXTURE = join(packageRoot(), 'test', 'fixtures', 'results', 'bundle');
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Flips the lowest bit of the byte in the middle of a file. */
function flipByte(file: string): void {
  const b = readFileSync(file);
  const i = Math.floor(b.length / 2);
  b[i] = b[i]! ^ 1;
  writeFileSync(file, b);
}

/** A small bundle: notebook, results, figures, report, plus a case folder outside it. */
function makeBundle(root: string): { bundle: string; caseDir: string } {
  const bundle = join(root, 'bundle');
  cpSync(FIXTURE, bundle, { recursive: true });
  mkdirSync(join(bundle, 'notebooks'));
  writeFileSync(
    join(bundle, 'notebooks', '6.3.6-robustness.ipynb'),
    JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1),
  );
  writeFileSync(join(bundle, 'report.pdf'), Buffer.from('%PDF-1.3\n% a stand-in report of some length\n%%EOF\n'));
  const caseDir = join(root, 'case');
  mkdirSync(join(caseDir, 'data'), { recursive: true });
  writeFileSync(join(caseDir, 'case.json'), '{"name":"demo"}\n');
  writeFileSync(join(caseDir, 'claims.json'), '{"claims":[]}\n');
  writeFileSync(join(caseDir, 'data', 'manifest.csv'), 'id,input\na,a.npy\n');
  writeFileSync(join(caseDir, 'model.onnx'), Buffer.from([8, 7, 18, 4, 116, 101, 115, 116]));
  return { bundle, caseDir };
}

const info = (caseDir: string) => ({
  case: { name: 'demo', dir: caseDir, files: ['case.json', 'claims.json', 'data/manifest.csv'] },
  model: { path: join(caseDir, 'model.onnx'), name: 'demo-unet', version: '1.0.0' },
  seeds: { default: 42 },
  startedAt: '2026-11-28T06:00:00.000Z',
  finishedAt: '2026-11-28T06:01:00.000Z',
});

describe('bundle/writeManifest', () => {
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'ptmc-manifest-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('lists every bundle file with SHA-256 and size, hashes case documents and model, records versions', async () => {
    const { bundle, caseDir } = makeBundle(tmp);
    const m = await writeManifest(bundle, info(caseDir));
    const onDisk = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as BundleManifest;
    assert.deepEqual(onDisk, m);
    assert.deepEqual(
      m.files.map((f) => f.path),
      [
        'figures/6.3.4-latency.svg',
        'figures/6.3.6-severity.plotly.json',
        'figures/6.3.6-severity.svg',
        'notebooks/6.3.6-robustness.ipynb',
        'report.pdf',
        'results/6.2.json',
        'results/6.3.4.json',
        'results/6.3.6.json',
        'results/6.3.9.json',
      ],
    );
    const r = readFileSync(join(bundle, 'results', '6.3.6.json'));
    assert.deepEqual(
      m.files.find((f) => f.path === 'results/6.3.6.json'),
      { path: 'results/6.3.6.json', sha256: sha(r), bytes: r.length },
    );
    assert.deepEqual(
      m.case!.files.map((f) => f.path),
      ['case.json', 'claims.json', 'data/manifest.csv'],
    );
    assert.equal(m.case!.files[0]!.sha256, sha('{"name":"demo"}\n'));
    assert.deepEqual(m.model, {
      path: 'model.onnx',
      sha256: sha(Buffer.from([8, 7, 18, 4, 116, 101, 115, 116])),
      bytes: 8,
      name: 'demo-unet',
      version: '1.0.0',
    });
    assert.equal(m.tool.name, 'ptm-conformity');
    assert.deepEqual(Object.keys(m.dependencies), ['onnxruntime-node', 'tslab', 'pdfmake', 'plotly.js-dist', 'danfojs-node', 'ajv']);
    assert.equal(m.dependencies.pdfmake, dependencyVersions().pdfmake);
    assert.match(m.dependencies.pdfmake!, /^0\.3\./);
    assert.deepEqual(m.seeds, { default: 42 });
    assert.equal(m.startedAt, '2026-11-28T06:00:00.000Z');
    const { digest, ...rest } = m;
    assert.equal(digest.value, sha(canonicalJson(rest)));
  });

  it('names a missing case document (InputError, file and field)', async () => {
    const { bundle, caseDir } = makeBundle(tmp);
    await assert.rejects(
      writeManifest(bundle, { case: { name: 'demo', dir: caseDir, files: ['nope.json'] } }),
      (e: unknown) => e instanceof InputError && e.file === join(caseDir, 'nope.json') && e.field === '/case/files',
    );
    assert.equal(existsSync(join(bundle, 'manifest.json')), false);
  });

  it('uses SOURCE_DATE_EPOCH for createdAt', async () => {
    const old = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1764300000';
    try {
      assert.equal((await buildManifest(makeBundle(tmp).bundle)).createdAt, '2025-11-28T03:20:00.000Z');
    } finally {
      if (old === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = old;
    }
  });
});

describe('bundle/verifyBundle', () => {
  let tmp: string;
  let bundle: string;
  let caseDir: string;
  beforeEach(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ptmc-verify-'));
    ({ bundle, caseDir } = makeBundle(tmp));
    await writeManifest(bundle, info(caseDir));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('an intact bundle verifies (and re-hashes the case with --case only)', async () => {
    assert.equal((await verifyBundle(bundle)).caseChecked, false);
    const r = await verifyBundle(bundle, { caseDir });
    assert.equal(r.ok, true);
    assert.deepEqual([r.changed, r.missing, r.added, r.caseChanged], [[], [], [], []]);
    assert.equal(r.manifest, 'intact');
    assert.equal(r.caseChecked, true);
    assert.equal(r.checked, 9, 'the fixture bundle: 3 figure files, a notebook, the report, 4 results');
  });

  for (const file of ['notebooks/6.3.6-robustness.ipynb', 'results/6.3.4.json', 'figures/6.3.6-severity.svg', 'report.pdf']) {
    it(`one flipped byte in ${file} → changed`, async () => {
      flipByte(join(bundle, file));
      const r = await verifyBundle(bundle);
      assert.equal(r.ok, false);
      assert.deepEqual(r.changed, [file]);
      assert.deepEqual([r.missing, r.added], [[], []]);
    });
  }

  it('one flipped byte in manifest.json → the manifest is reported changed', async () => {
    const mf = join(bundle, 'manifest.json');
    const text = readFileSync(mf, 'utf8');
    // flip a byte inside a value (createdAt's last digit), leaving valid JSON: only the digest catches it
    const i = text.indexOf('"createdAt": "') + '"createdAt": "'.length + 3;
    const b = Buffer.from(text);
    b[i] = b[i]! ^ 1;
    writeFileSync(mf, b);
    const r = await verifyBundle(bundle);
    assert.equal(r.ok, false);
    assert.equal(r.manifest, 'altered');
    assert.deepEqual(r.changed, ['manifest.json']);
    flipByte(mf); // and a byte anywhere (may break the JSON)
    const r2 = await verifyBundle(bundle);
    assert.equal(r2.ok, false);
    assert.ok(r2.changed.includes('manifest.json'));
  });

  it('a deleted file → missing; an added file → added', async () => {
    unlinkSync(join(bundle, 'results', '6.2.json'));
    writeFileSync(join(bundle, 'figures', 'extra.svg'), '<svg/>');
    const r = await verifyBundle(bundle);
    assert.equal(r.ok, false);
    assert.deepEqual(r.missing, ['results/6.2.json']);
    assert.deepEqual(r.added, ['figures/extra.svg']);
    assert.deepEqual(r.changed, []);
  });

  it('a symbolic link added to the bundle is reported, never followed', async () => {
    symlinkSync('/etc/passwd', join(bundle, 'figures', 'passwd.svg'));
    const r = await verifyBundle(bundle);
    assert.equal(r.ok, false);
    assert.deepEqual(r.refused, ['figures/passwd.svg (symbolic link)']);
    const [e] = await hashFiles(bundle, ['figures/passwd.svg']);
    assert.deepEqual(e, { path: 'figures/passwd.svg', sha256: sha('symlink:/etc/passwd'), bytes: 0 });
  });

  it('a changed case document → caseChanged (only with caseDir)', async () => {
    appendFileSync(join(caseDir, 'claims.json'), ' ');
    const r = await verifyBundle(bundle, { caseDir });
    assert.equal(r.ok, false);
    assert.deepEqual(r.caseChanged, [`${caseDir}/claims.json`]);
    assert.equal((await verifyBundle(bundle)).ok, true);
  });

  it('Ed25519: signed bundle verifies with the public key; tampering, a wrong key or no signature fail', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const keyFile = join(tmp, 'key.pem');
    const pubFile = join(tmp, 'pub.pem');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(pubFile, publicKey.export({ type: 'spki', format: 'pem' }));
    assert.equal((await verifyBundle(bundle, { publicKey: pubFile })).signature, 'missing');
    signManifest(bundle, keyFile);
    const ok = await verifyBundle(bundle, { publicKey: pubFile });
    assert.equal(ok.signature, 'valid');
    assert.equal(ok.ok, true);
    const other = generateKeyPairSync('ed25519').publicKey;
    const wrong = await verifyBundle(bundle, { publicKey: other });
    assert.equal(wrong.signature, 'invalid');
    assert.equal(wrong.ok, false);
    flipByte(join(bundle, 'manifest.sig'));
    assert.equal((await verifyBundle(bundle, { publicKey: pubFile })).signature, 'invalid');
  });

  it('an unsigned bundle is reported as unsigned', async () => {
    const r = await verifyBundle(bundle);
    assert.equal(r.signature, 'unsigned');
    assert.equal(r.ok, true);
  });

  it('a stale signature fails without --key: the manifest records the signer, forged content + recomputed manifest + old sig', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const signer = signerInfo(privateKey);
    await writeManifest(bundle, { ...info(caseDir), signer });
    signManifest(bundle, privateKey);
    const good = await verifyBundle(bundle);
    assert.equal(good.signature, 'valid');
    assert.equal(good.fingerprint, signer.fingerprint);
    assert.match(signer.fingerprint, /^SHA256:[0-9a-f]{64}$/);
    const oldSig = readFileSync(join(bundle, 'manifest.sig'));
    writeFileSync(join(bundle, 'results', '6.3.4.json'), '{"verdict":"pass"}\n'); // the forgery
    await writeManifest(bundle, { ...info(caseDir), signer }); // a recomputed manifest…
    assert.equal((await verifyBundle(bundle)).signature, 'missing'); // (a recorded signer without manifest.sig fails too)
    assert.equal((await verifyBundle(bundle)).ok, false);
    writeFileSync(join(bundle, 'manifest.sig'), oldSig); // …and the old manifest.sig put back
    const r = await verifyBundle(bundle);
    assert.equal(r.manifest, 'intact');
    assert.equal(r.signature, 'invalid');
    assert.equal(r.ok, false);
    assert.equal(r.checked, 0, 'nothing is hashed once the signature fails');
  });

  for (const [name, path, why] of [
    ['/dev/zero', '/dev/zero', 'absolute path'],
    ['/etc/passwd', '/etc/passwd', 'absolute path'],
    ['../x', '../x', "'..' in the path"],
    ['a symbolic link', 'figures/zero.svg', 'symbolic link'],
    ['a device via a symlinked folder', 'dev/zero', 'symbolic link'],
  ] as const) {
    it(`a manifest naming ${name} is refused within seconds, never opened`, async () => {
      symlinkSync('/dev/zero', join(bundle, 'figures', 'zero.svg'));
      symlinkSync('/dev', join(bundle, 'dev'));
      const mf = join(bundle, 'manifest.json');
      const m = JSON.parse(readFileSync(mf, 'utf8')) as BundleManifest;
      m.files.push({ path, sha256: '0'.repeat(64), bytes: 1 });
      m.digest.value = manifestDigest(m);
      writeFileSync(mf, JSON.stringify(m, null, 2));
      const t0 = Date.now();
      const r = await verifyBundle(bundle, { caseDir });
      assert.ok(Date.now() - t0 < 5000);
      assert.equal(r.ok, false);
      assert.ok(r.refused.includes(`${path} (${why})`), r.refused.join('; '));
      const quiet = silence();
      try {
        assert.equal(await main(['verify', bundle]), 1);
        assert.ok(quiet.err().includes(`refused: ${path} (${why})`), quiet.err());
      } finally {
        quiet.restore();
      }
    });
  }

  it('a non-Ed25519 key → InputError naming the file', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const f = join(tmp, 'rsa.pem');
    writeFileSync(f, rsa.export({ type: 'pkcs8', format: 'pem' }));
    assert.throws(
      () => signManifest(bundle, f),
      (e: unknown) => e instanceof InputError && e.file === f && /not Ed25519/.test((e as Error).message),
    );
  });

  it('ptmc verify: exit 0 when intact, 1 after any change, 2 for a missing folder', async () => {
    const quiet = silence();
    try {
      assert.equal(await main(['verify', bundle]), 0);
      flipByte(join(bundle, 'figures', '6.3.4-latency.svg'));
      assert.equal(await main(['verify', bundle]), 1);
      assert.match(quiet.err(), /changed: figures\/6\.3\.4-latency\.svg/);
      assert.equal(await main(['verify', join(tmp, 'nope')]), 2);
    } finally {
      quiet.restore();
    }
  });
});

/** Captures stdout/stderr writes. */
function silence(): { err(): string; restore(): void } {
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  let err = '';
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((err += String(s)), true)) as typeof process.stderr.write;
  return { err: () => err, restore: () => ((process.stdout.write = o), (process.stderr.write = e)) };
}
