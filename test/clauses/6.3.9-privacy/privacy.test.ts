/**
 * 6.3.9 with known answers: membership attacks on separable / reversed scores; a memorising MLP
 * gives AUC near 1 and an untrained one near 0.5; the sandboxed child reports no attempts for a
 * clean run and refuses and records the attempts of a leaky script; declared measures get their status.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { balancedMembership, membershipAttack } from '../../../src/clauses/6.3.9-privacy/mia.js';
import { declaredPrivacyMeasures } from '../../../src/clauses/6.3.9-privacy/measures.js';
import { evaluatePrivacy } from '../../../src/clauses/6.3.9-privacy/evaluate.js';
import { runSandboxedInference } from '../../../src/clauses/6.3.9-privacy/sandbox.js';
import { membershipCase, SECURITY } from '../security-case.js';
import { claim, tinyCase } from '../tiny-case.js';

describe('6.3.9 privacy', function () {
  this.timeout(60000);

  it('membershipAttack: separable scores → AUC 1, advantage 1; reversed → AUC 0; ties → 0.5', () => {
    const m = Uint8Array.of(1, 1, 1, 0, 0, 0);
    const a = membershipAttack('loss', m, [0.9, 0.8, 0.7, 0.3, 0.2, 0.1]);
    assert.deepEqual([a.auc, a.advantage, a.tprAt1Fpr, a.tprAt01Fpr, a.members, a.nonMembers], [1, 1, 1, 1, 3, 3]);
    assert.equal(membershipAttack('loss', m, [0.1, 0.2, 0.3, 0.7, 0.8, 0.9]).auc, 0);
    const t = membershipAttack('confidence', m, [1, 1, 1, 1, 1, 1]);
    assert.equal(t.auc, 0.5);
    assert.equal(t.advantage, 0);
  });

  it('balancedMembership: equal, seeded, within range', () => {
    const a = balancedMembership(280, 120, 50, 42);
    assert.equal(a.members.length, 50);
    assert.equal(a.nonMembers.length, 50);
    assert.ok(a.members.every((i) => i < 280) && a.nonMembers.every((i) => i < 120));
    assert.deepEqual(balancedMembership(280, 120, 50, 42), a);
    assert.equal(balancedMembership(10, 7, 50, 1).members.length, 7);
  });

  it('a memorising MLP leaks membership (AUC ≈ 1); an untrained one does not (AUC ≈ 0.5)', async () => {
    // random labels of 16 classes: members have loss ≈ 0; a non-member's label is guessed with p = 1/16,
    // so the loss attack's AUC is at least 1 − 1/32 in expectation
    const mem = await evaluatePrivacy(await membershipCase('memorise', [claim('5.2.9', 'membershipAuc', '<=', 0.7)]), {
      sandbox: false,
      samples: 60,
    });
    const loss = mem.attacks.find((a) => a.attack === 'loss')!;
    assert.ok(loss.auc > 0.95, `memorise AUC ${loss.auc}`);
    assert.ok(loss.advantage > 0.8, `advantage ${loss.advantage}`);
    assert.equal(loss.members, 60);
    assert.equal(mem.result.verdict, 'fail');
    const rnd = await evaluatePrivacy(await membershipCase('random', [claim('5.2.9', 'membershipAuc', '<=', 0.7)]), {
      sandbox: false,
      samples: 60,
    });
    for (const a of rnd.attacks) assert.ok(Math.abs(a.auc - 0.5) < 0.15, `random ${a.attack} AUC ${a.auc}`);
    assert.notEqual(rnd.result.claims[0]!.met, false, 'the interval of an AUC near 0.5 does not exceed 0.7 entirely');
    // 5.2.9 b) (a shall item) has no claim here, so the clause cannot pass whatever the attack shows
    assert.deepEqual(
      rnd.result.coverage.map((r) => [r.item, r.status === 'missing']),
      [
        ['5.2.9.a', false],
        ['5.2.9.b', true],
      ],
    );
    assert.equal(rnd.result.verdict, 'fail');
    const again = await evaluatePrivacy(await membershipCase('random'), { sandbox: false, samples: 60 });
    assert.deepEqual(again.attacks, rnd.attacks);
    assert.equal(again.result.verdict, 'fail', 'no claim on the shall items 5.2.9 a) and b)');
  });

  it('sandboxed inference of a clean model: no upload, no storage, the prediction arrives', async () => {
    const c = await membershipCase('random');
    const r = await runSandboxedInference(c.dir, { samples: 4 });
    assert.equal(r.exitCode, 0, r.stderrTail);
    assert.equal(r.instrumented, true);
    assert.deepEqual([r.uploadAttempts, r.storageAttempts, r.attempts.length, r.tempFiles.length], [0, 0, 0, 0]);
    assert.equal(r.result?.samples, 4);
    assert.ok(r.flags.includes('--experimental-permission') && r.flags.includes('--allow-addons'));
    assert.ok(r.flags.some((f) => f.startsWith('--allow-fs-write=')));
  });

  it('Node 20 needs --allow-addons for onnxruntime-node: without it the child fails with ERR_DLOPEN_DISABLED', async () => {
    const c = await membershipCase('random');
    const r = await runSandboxedInference(c.dir, { samples: 2, allowAddons: false });
    assert.equal(r.exitCode, 1);
    assert.equal(r.result, null);
    assert.ok(
      r.permissionDenials.some((l) => /ERR_DLOPEN_DISABLED/.test(l)),
      r.stderrTail,
    );
    assert.ok(!r.flags.includes('--allow-addons'));
  });

  it('a script that tries to connect and write is recorded and refused', async () => {
    const c = await membershipCase('random', [claim('5.2.9', 'uploadAttempts', '<=', 0), claim('5.2.9', 'storageAttempts', '<=', 0)]);
    const r = await runSandboxedInference(c.dir, { script: join(SECURITY, 'leaky-child.js') });
    assert.equal(r.exitCode, 0, r.stderrTail);
    assert.deepEqual(r.result, { refused: 4 });
    assert.equal(r.uploadAttempts, 2);
    assert.equal(r.storageAttempts, 2);
    assert.deepEqual(
      r.attempts.map((a) => a.api),
      ['net.connect', 'fetch', 'fs.writeFileSync', 'fs.writeFileSync'],
    );
    assert.deepEqual(r.tempFiles, []);
    const ev = await evaluatePrivacy(c, { samples: 20, sandboxScript: join(SECURITY, 'leaky-child.js') });
    assert.equal(ev.result.verdict, 'fail');
    assert.deepEqual(
      ev.result.claims.map((k) => k.measured),
      [2, 2],
    );
  });

  it('declared measures: de-identification supported by clean manifests, contradicted by identifier columns', async () => {
    const c = await tinyCase('linear', []);
    c.description = { sourceData: { quality: { deidentification: { zh: '已去标识化', en: 'images de-identified before training' } } } };
    const ok = declaredPrivacyMeasures(c, 0.51);
    const de = ok.find((m) => m.measure === 'de-identification')!;
    assert.equal(de.path, '/sourceData/quality/deidentification');
    assert.equal(de.status, 'declared, supported');
    assert.equal(ok.find((m) => m.measure === 'differential-privacy')!.status, 'not declared');
    writeFileSync(join(c.dir, 'test.csv'), 'id,patient_name,f0,f1,f2,f3,label,site\ns0,Jane,0,0,0,0,a,x\n');
    assert.equal(declaredPrivacyMeasures(c).find((m) => m.measure === 'de-identification')!.status, 'declared, contradicted');
    c.description = { training: { settings: { privacy: 'trained with DP-SGD (differential privacy, ε = 8)' } } };
    const dp = declaredPrivacyMeasures(c, 0.9).find((m) => m.measure === 'differential-privacy')!;
    assert.equal(dp.status, 'declared, not supported');
  });
});
