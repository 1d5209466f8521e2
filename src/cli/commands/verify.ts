import { verifyBundle, type VerifyResult } from '../../evidence/verify.js';
import { UsageError } from '../../util/errors.js';
import { parseCommandArgs, type Command } from '../command.js';

const usage = 'ptmc verify BUNDLE_DIR [--key PUB.pem] [--case DIR] [--json]';

/** Human-readable lines for a verification result (one per difference). */
export function formatVerifyResult(dir: string, r: VerifyResult): string {
  const lines: string[] = [];
  for (const p of r.changed) lines.push(`changed: ${p}`);
  for (const p of r.missing) lines.push(`missing: ${p}`);
  for (const p of r.added) lines.push(`added:   ${p}`);
  for (const p of r.refused) lines.push(`refused: ${p}`);
  for (const p of r.caseChanged) lines.push(`case changed: ${p}`);
  if (r.manifest === 'altered') lines.push('manifest.json: its digest does not match its content (the manifest was edited or corrupted)');
  if (r.manifest === 'unreadable') lines.push('manifest.json: not a readable manifest (invalid JSON or shape)');
  if (r.signature === 'invalid')
    lines.push('signature: manifest.sig does not verify (stale or forged signature, or another key); no file was hashed');
  if (r.signature === 'missing') lines.push('signature: manifest.sig is missing but a key was pinned or a signer is recorded');
  if (r.fingerprint) lines.push(`signer key fingerprint: ${r.fingerprint} (compare it with the lab's key, or pin it with --key)`);
  const sig = r.signature === 'valid' ? ', signature valid' : r.signature === 'unsigned' ? ', UNSIGNED' : `, signature ${r.signature}`;
  const head = r.ok
    ? `${dir}: intact (${r.checked} files${r.caseChecked ? ', case documents and model re-hashed' : ''}${sig})`
    : `${dir}: NOT intact — ${r.changed.length} changed, ${r.missing.length} missing, ${r.added.length} ` +
      `added${r.caseChanged.length ? `, ${r.caseChanged.length} case file(s) changed` : ''}${sig}`;
  return [head, ...lines.map((l) => `  ${l}`)].join('\n');
}

/** `ptmc verify BUNDLE_DIR [--key PUB.pem]`: exit 0 when intact, 1 listing each file changed, missing or added. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify an evidence bundle against its manifest (and signature)',
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        key: { type: 'string' },
        case: { type: 'string' },
        'no-case': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      usage,
    );
    if (positionals.length !== 1) throw new UsageError('give exactly one BUNDLE_DIR', { remedy: `usage: ${usage}` });
    const dir = positionals[0]!;
    const r = await verifyBundle(dir, {
      publicKey: values.key as string | undefined,
      caseDir: values['no-case'] ? undefined : (values.case as string | undefined),
    });
    if (values.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    else (r.ok ? process.stdout : process.stderr).write(formatVerifyResult(dir, r) + '\n');
    return r.ok ? 0 : 1;
  },
};
