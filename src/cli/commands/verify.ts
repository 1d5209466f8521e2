import { verifyBundle, type VerifyResult } from '../../evidence/verify.js';
import { runProgress } from '../../run/progress.js';
import { rerunBundle, type RerunResult } from '../../run/rerun.js';
import { UsageError } from '../../util/errors.js';
import { parseCommandArgs, type Command } from '../command.js';

const usage =
  'ptmc verify BUNDLE_DIR [--key PUB.pem] [--case DIR] [--json]\n' +
  '       ptmc verify --rerun BUNDLE_DIR [--case DIR] [--key PUB.pem] [--notebooks DIR] [--keep] [--json]';

/** One line per clause of a re-run: identical or the differences, and how the timings compare. */
export function formatRerunResult(dir: string, r: RerunResult): string {
  if (r.refused) return `${formatVerifyResult(dir, r.verify)}\n${dir}: NOT re-run — ${r.refused}`;
  const lines = [`${dir}: re-run ${r.ok ? 'IDENTICAL' : 'DIFFERS'} (${r.clauses.length} clause(s); timings compared by CI overlap)`];
  for (const c of r.clauses) {
    const disjoint = c.timings.filter((t) => t.status === 'disjoint');
    const compared = c.timings.filter((t) => t.status !== 'not-compared').length;
    const timing = c.timings.length
      ? `; timings: ${compared} of ${c.timings.length} with CIs, ${disjoint.length} outside` +
        (disjoint.length ? ` (${disjoint.map((t) => `${t.name} ${t.a} → ${t.b} ${t.unit}`).join(', ')})` : '')
      : '';
    lines.push(`  ${c.clause.padEnd(6)} ${c.identical ? 'identical' : `differs (${c.differences.length})`}${timing}`);
    for (const d of c.differences) lines.push(`         ${d}`);
  }
  if (r.out) lines.push(`re-run bundle kept in ${r.out}`);
  return lines.join('\n');
}

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

/**
 * `ptmc verify BUNDLE_DIR [--key PUB.pem]`: exit 0 when intact, 1 listing each file changed, missing or added.
 * With `--rerun`: exit 0 when the re-executed clauses are identical (timings aside), 1 when anything differs.
 */
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
        rerun: { type: 'boolean' },
        notebooks: { type: 'string' },
        keep: { type: 'boolean' },
      },
      usage,
    );
    if (positionals.length !== 1) throw new UsageError('give exactly one BUNDLE_DIR', { remedy: `usage: ${usage}` });
    const dir = positionals[0]!;
    if (values.rerun) {
      const rr = await rerunBundle(dir, {
        caseDir: values.case as string | undefined,
        publicKey: values.key as string | undefined,
        notebooksDir: values.notebooks as string | undefined,
        keep: values.keep === true,
        progress: values.json ? undefined : runProgress(process.stderr),
        handleSignals: true,
      });
      if (values.json) process.stdout.write(JSON.stringify({ ...rr, run: undefined }, null, 2) + '\n');
      else (rr.ok ? process.stdout : process.stderr).write(formatRerunResult(dir, rr) + '\n');
      return rr.ok ? 0 : 1;
    }
    if (values.notebooks !== undefined || values.keep)
      throw new UsageError('--notebooks and --keep go with --rerun', { field: '--rerun', remedy: `usage: ${usage}` });
    const r = await verifyBundle(dir, {
      publicKey: values.key as string | undefined,
      caseDir: values['no-case'] ? undefined : (values.case as string | undefined),
    });
    if (values.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    else (r.ok ? process.stdout : process.stderr).write(formatVerifyResult(dir, r) + '\n');
    return r.ok ? 0 : 1;
  },
};
