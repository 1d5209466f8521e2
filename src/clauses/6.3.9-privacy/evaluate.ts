/**
 * Clause 6.3.9 — privacy (claims of 5.2.9).
 *
 * a) Membership inference (privacy-mia.ts): `train` samples (members) against held-out `test` and
 *    `validation` samples (non-members), balanced and seeded; loss-threshold (Yeom et al. 2018) and
 *    confidence attacks; ROC, AUC, TPR at 0.1 % / 1 % FPR, membership advantage.
 * b) Upload and storage by inference (privacy-sandbox.ts): inference in a child process under Node's
 *    permission model with network and storage APIs instrumented; attempts and files left counted.
 *    The judged run disables onnxruntime's own telemetry (`ORT_DISABLE_TELEMETRY=1`, setting
 *    `runtimeTelemetry`); a second run with the runtime as installed is reported as a finding.
 * c) The provider's declared measures with their evidence status (privacy-measures.ts).
 *
 * Claim metrics: `membershipAuc`, `membershipAdvantage`, `tprAt1Fpr` (condition `{ attack: 'loss' |
 * 'confidence' }`, otherwise the worst attack), `uploadAttempts`, `storageAttempts`.
 */
import { loadCaseDataset, openCaseModel } from '../../case/predict.js';
import { judgeClaim, type EvidenceInput } from '../judge.js';
import { wilsonInterval } from '../../metrics/ci.js';
import { normalQuantile } from '../../metrics/stats.js';
import type { Claim, DatasetRole, LoadedCase } from '../../case/types.js';
import { subset } from '../../data/dataset.js';
import { collectEnvironment } from '../../util/environment.js';
import { rocCurve } from '../../figures/charts-eval.js';
import { histogram } from '../../figures/charts.js';
import type { FigureLang } from '../../figures/style.js';
import type { EpChoice } from '../../model/types.js';
import type { ClaimCheck, Measurement } from '../../results/types.js';
import { buildClauseResult, startClause, tableFromRows, type ClauseEvaluation, type ClauseFigure, type Shortfall } from '../clause.js';
import { balancedMembership, membershipAttack, membershipFeatures, type MembershipAttackResult, type MembershipFeatures } from './mia.js';
import { declaredPrivacyMeasures, STATUS_TEXT } from './measures.js';
import { runSandboxedInference, type SandboxReport } from './sandbox.js';

/** Settings of the 6.3.9 evaluation. */
export interface PrivacyOptions {
  ep?: EpChoice;
  /** Members and non-members each (default 100; fewer when a set is smaller). */
  samples?: number;
  /** Held-out roles used as non-members (default those of `test`, `validation` the case has). */
  nonMemberRoles?: DatasetRole[];
  /** Run the sandboxed inference check (default true). */
  sandbox?: boolean;
  /** Samples predicted in the sandbox (default 8). */
  sandboxSamples?: number;
  /** onnxruntime telemetry in the judged sandbox run (default `disabled`). */
  runtimeTelemetry?: 'disabled' | 'as-installed';
  /** Test hook: the child script run in the sandbox. */
  sandboxScript?: string;
  batchSize?: number;
  seed?: number;
}

/**
 * Runs the 6.3.9 evaluation.
 * @throws InputError when the case has no `train` set or no held-out set
 * @example
 * const ev = await evaluatePrivacy(c, { samples: 60, seed: 42 });
 */
export async function evaluatePrivacy(
  c: LoadedCase,
  opts: PrivacyOptions = {},
): Promise<ClauseEvaluation & { attacks: MembershipAttackResult[]; sandbox: SandboxReport[] }> {
  const run = startClause('6.3.9', c, opts);
  const roles = opts.nonMemberRoles ?? (['test', 'validation'] as DatasetRole[]).filter((r) => c.spec.datasets[r]);
  const settings = {
    ep: opts.ep ?? 'auto',
    samples: opts.samples ?? 100,
    memberRole: 'train',
    nonMemberRoles: roles,
    sandbox: opts.sandbox ?? true,
    sandboxSamples: opts.sandboxSamples ?? 8,
    runtimeTelemetry: opts.runtimeTelemetry ?? 'disabled',
    batchSize: opts.batchSize ?? 16,
    seed: run.seed,
  };
  const train = await loadCaseDataset(c, 'train');
  const held = await Promise.all(roles.map((r) => loadCaseDataset(c, r)));
  const heldIndex = held.flatMap((d, k) => Array.from({ length: d.ids.length }, (_, i) => [k, i] as const));
  const pick = balancedMembership(train.ids.length, heldIndex.length, settings.samples, settings.seed);
  const cm = await openCaseModel(c, { ep: settings.ep });
  let info;
  const feats: MembershipFeatures[] = [];
  const ids: string[] = [];
  try {
    const mem = subset(train, pick.members);
    feats.push(membershipFeatures(await cm.predict(mem.x, mem.shape, { batchSize: settings.batchSize }), mem));
    ids.push(...mem.ids);
    for (let k = 0; k < held.length; k++) {
      const idx = Array.from(pick.nonMembers)
        .map((j) => heldIndex[j]!)
        .filter(([h]) => h === k)
        .map(([, i]) => i);
      if (!idx.length) continue;
      const d = subset(held[k]!, idx);
      feats.push(membershipFeatures(await cm.predict(d.x, d.shape, { batchSize: settings.batchSize }), d));
      ids.push(...d.ids);
    }
    info = cm.session.providerInfo();
  } finally {
    await cm.release();
  }
  const m = pick.members.length;
  const loss = Float64Array.from(feats.flatMap((f) => Array.from(f.loss)));
  const conf = Float64Array.from(feats.flatMap((f) => Array.from(f.confidence)));
  const isMember = Uint8Array.from(loss, (_, i) => (i < m ? 1 : 0));
  const attacks = [
    membershipAttack(
      'loss',
      isMember,
      Array.from(loss, (v) => -v),
    ),
    membershipAttack('confidence', isMember, conf),
  ];

  const sandbox: SandboxReport[] = [];
  if (settings.sandbox) {
    sandbox.push(
      await runSandboxedInference(c.dir, {
        samples: settings.sandboxSamples,
        runtimeTelemetry: settings.runtimeTelemetry,
        script: opts.sandboxScript,
      }),
    );
    if (!opts.sandboxScript)
      sandbox.push(
        await runSandboxedInference(c.dir, {
          samples: settings.sandboxSamples,
          runtimeTelemetry: settings.runtimeTelemetry === 'disabled' ? 'as-installed' : 'disabled',
        }),
      );
  }
  const judged = sandbox[0];
  const maxAuc = Math.max(...attacks.map((a) => a.auc));
  const measures = declaredPrivacyMeasures(c, maxAuc);
  const claims = run.claims.map((k) => judgePrivacy(k, attacks, judged, run.level));

  const cond = (a: MembershipAttackResult) => ({
    attack: a.attack,
    members: a.members,
    nonMembers: a.nonMembers,
    nonMemberRoles: roles.join('+'),
    seed: settings.seed,
  });
  const measurements: Measurement[] = attacks.flatMap((a) => [
    { name: 'membershipAuc', value: a.auc, unit: '1', conditions: cond(a) },
    { name: 'membershipAdvantage', value: a.advantage, unit: '1', conditions: cond(a) },
    { name: 'tprAt1Fpr', value: a.tprAt1Fpr, unit: '1', conditions: cond(a) },
    { name: 'tprAt01Fpr', value: a.tprAt01Fpr, unit: '1', conditions: { ...cond(a), note: `FPR resolution 1/${a.nonMembers}` } },
  ]);
  for (const s of sandbox) {
    const sc = { runtimeTelemetry: s.runtimeTelemetry, samples: settings.sandboxSamples, exitCode: s.exitCode, judged: s === judged };
    measurements.push(
      { name: 'uploadAttempts', value: s.uploadAttempts, unit: 'attempts', conditions: sc },
      { name: 'storageAttempts', value: s.storageAttempts, unit: 'attempts', conditions: { ...sc, tempFiles: s.tempFiles.length } },
    );
  }
  const sandboxNote = judged
    ? ` Sandboxed inference (onnxruntime telemetry ${judged.runtimeTelemetry}): ${judged.uploadAttempts} ` +
      `upload and ${judged.storageAttempts} storage attempt(s), exit ${judged.exitCode}.` +
      (sandbox[1]
        ? ` With onnxruntime ${sandbox[1].runtimeTelemetry}: ${sandbox[1].uploadAttempts} upload / ` +
          `${sandbox[1].storageAttempts} storage (${sandbox[1].tempFiles.slice(0, 4).join(', ') || 'no files'}).`
        : '')
    : ' Sandbox check not run.';
  const sandboxZh = judged
    ? `沙箱内推理（onnxruntime 遥测 ${judged.runtimeTelemetry}）：${judged.uploadAttempts} 次上传、` +
      `${judged.storageAttempts} 次存储尝试，退出码 ${judged.exitCode}。` +
      (sandbox[1]
        ? `onnxruntime 遥测 ${sandbox[1].runtimeTelemetry} 时：${sandbox[1].uploadAttempts} 次上传 / ` +
          `${sandbox[1].storageAttempts} 次存储（${sandbox[1].tempFiles.slice(0, 4).join(', ') || '无文件'}）。`
        : '')
    : '沙箱检查未运行。';
  const shortfalls = privacyShortfalls(
    m,
    isMember.length - m,
    run.claims.filter((k) => MIA_METRICS.includes(k.metric)).map((k) => k.id),
  );
  const result = buildClauseResult(run, {
    shortfalls,
    rationale: (reason) => ({
      zh:
        `${reason.zh}。成员推断：${m} 个训练样本对 ${isMember.length - m} 个留出样本（${roles.join('+')}），种子 ` +
        `${settings.seed}；损失攻击 AUC ${attacks[0]!.auc.toFixed(3)}（优势 ${attacks[0]!.advantage.toFixed(3)}），置信度攻击 AUC ` +
        `${attacks[1]!.auc.toFixed(3)}。${sandboxZh}`,
      en:
        `${reason.en}. Membership inference on ${m} train vs ${isMember.length - m} held-out (` +
        `${roles.join('+')}) samples, seed ${settings.seed}: loss attack AUC ${attacks[0]!.auc.toFixed(3)} ` +
        `(advantage ${attacks[0]!.advantage.toFixed(3)}), confidence attack AUC ` +
        `${attacks[1]!.auc.toFixed(3)}.${sandboxNote}`,
    }),
    claims,
    measurements,
    tables: [
      tableFromRows(
        'membership',
        { zh: '成员推断攻击', en: 'Membership inference attacks' },
        attacks.map(({ fpr: _f, tpr: _t, ...a }) => ({ ...a })),
      ),
      tableFromRows(
        'sandbox',
        { zh: '沙箱推理：上传与存储尝试', en: 'Sandboxed inference: upload and storage attempts' },
        sandbox.map((s) => ({
          runtimeTelemetry: s.runtimeTelemetry,
          judged: s === judged,
          exitCode: s.exitCode,
          uploadAttempts: s.uploadAttempts,
          storageAttempts: s.storageAttempts,
          attempts: s.attempts.map((a) => `${a.api} ${a.target}`).join('; '),
          tempFiles: s.tempFiles.join(', '),
          permissionDenials: s.permissionDenials.length,
          instrumented: s.instrumented,
          durationMs: s.durationMs,
        })),
      ),
      tableFromRows(
        'measures',
        { zh: '声明的隐私保护措施及证据状态', en: 'Declared privacy measures and evidence status' },
        measures.map((x) => ({ ...x, status: STATUS_TEXT[x.status] ?? x.status })),
      ),
    ],
    settings: {
      ...settings,
      minimum: PRIVACY_MINIMUM,
      sandboxFlags: judged?.flags ?? [],
      memberIds: ids.slice(0, m),
      nonMemberIds: ids.slice(m),
    },
    environment: collectEnvironment(info),
  });
  const figures: ClauseFigure[] = [
    {
      name: 'roc',
      title: { zh: '成员推断攻击 ROC', en: 'Membership-inference ROC' },
      figure: (lang) =>
        rocCurve({
          lang,
          curves: attacks.map((a) => ({
            name: { zh: a.attack === 'loss' ? '损失阈值攻击' : '置信度攻击', en: `${a.attack} attack` },
            fpr: a.fpr,
            tpr: a.tpr,
            auc: a.auc,
          })),
          title: { zh: '成员推断 ROC', en: 'Membership inference ROC' },
        }),
    },
    {
      name: 'loss',
      title: { zh: '成员与非成员的损失分布', en: 'Loss of members and non-members' },
      figure: (lang) => lossHistogram(loss, m, lang),
    },
  ];
  return { result, figures, attacks, sandbox };
}

function lossHistogram(loss: Float64Array, m: number, lang: FigureLang): ReturnType<typeof histogram> {
  const clip = (v: number) => Math.min(v, 10);
  return histogram({
    lang,
    series: [
      { name: { zh: '成员（训练集）', en: 'members (train)' }, values: Array.from(loss.subarray(0, m), clip) },
      { name: { zh: '非成员（留出集）', en: 'non-members (held out)' }, values: Array.from(loss.subarray(m), clip) },
    ],
    xTitle: { zh: '每样本损失（截断于 10）', en: 'per-sample loss (capped at 10)' },
    yTitle: { zh: '频数', en: 'count' },
    title: { zh: '损失分布', en: 'Loss distribution' },
  });
}

/** Judges a 5.2.9 claim (see the module comment for the metric names). */
export function judgePrivacy(
  claim: Claim,
  attacks: MembershipAttackResult[],
  sandbox: SandboxReport | undefined,
  level = 0.95,
): ClaimCheck {
  if (claim.metric === 'uploadAttempts' || claim.metric === 'storageAttempts') {
    if (!sandbox) return judgeClaim(claim, undefined, { zh: '沙箱检查未运行', en: 'the sandbox check was not run' });
    return judgeClaim(
      claim,
      sandbox[claim.metric],
      {
        zh: `沙箱内推理，onnxruntime 遥测 ${sandbox.runtimeTelemetry}`,
        en: `sandboxed inference, onnxruntime telemetry ${sandbox.runtimeTelemetry}`,
      },
      {
        rule: 'exact',
      },
    );
  }
  const key = ({ membershipAuc: 'auc', membershipAdvantage: 'advantage', tprAt1Fpr: 'tprAt1Fpr' } as const)[
    claim.metric as 'membershipAuc'
  ];
  if (!key)
    return judgeClaim(claim, undefined, {
      zh: `6.3.9 不测量指标 "${claim.metric}"`,
      en: `metric "${claim.metric}" is not measured by 6.3.9`,
    });
  const wanted = claim.conditions?.attack;
  const rs = wanted === undefined ? attacks : attacks.filter((a) => a.attack === wanted);
  if (!rs.length)
    return judgeClaim(claim, undefined, {
      zh: `没有名为 "${String(wanted)}" 的成员推断攻击（loss | confidence）`,
      en: `no membership attack named "${String(wanted)}" (loss | confidence)`,
    });
  const worst = rs.reduce((w, a) => (a[key] > w[key] ? a : w));
  return judgeClaim(
    claim,
    worst[key],
    {
      zh: `${worst.attack} 攻击，${worst.members} 个成员对 ${worst.nonMembers} 个非成员`,
      en: `${worst.attack} attack, ${worst.members} members vs ${worst.nonMembers} non-members`,
    },
    membershipEvidence(worst, key, level),
  );
}

/**
 * The interval of a membership-attack figure: AUC with the Hanley–McNeil standard error; TPR at 1 % FPR
 * with Wilson's interval over the members; the advantage (max TPR − FPR) with the normal interval of a
 * difference of two proportions at its maximising threshold. Bounds clipped to [0, 1].
 * @example
 * membershipEvidence(attack, 'auc', 0.95).ci; // { low: …, high: …, method: 'hanley-mcneil', level: 0.95 }
 */
export function membershipEvidence(a: MembershipAttackResult, key: 'auc' | 'advantage' | 'tprAt1Fpr', level = 0.95): EvidenceInput {
  const m = a.members;
  const k = a.nonMembers;
  const z = normalQuantile(1 - (1 - level) / 2);
  const clip = (v: number) => Math.min(1, Math.max(0, v));
  if (key === 'tprAt1Fpr') return { n: m, ci: wilsonInterval(Math.round(a.tprAt1Fpr * m), m, level) };
  if (key === 'auc') {
    const A = a.auc;
    const q1 = A / (2 - A);
    const q2 = (2 * A * A) / (1 + A);
    const se = Math.sqrt(Math.max(0, (A * (1 - A) + (m - 1) * (q1 - A * A) + (k - 1) * (q2 - A * A)) / (m * k)));
    return { n: m + k, ci: { low: clip(A - z * se), high: clip(A + z * se), method: 'hanley-mcneil', level } };
  }
  let best = 0;
  for (let i = 1; i < a.tpr.length; i++) if (a.tpr[i]! - a.fpr[i]! > a.tpr[best]! - a.fpr[best]!) best = i;
  const t = a.tpr[best] ?? 0;
  const f = a.fpr[best] ?? 0;
  const se = Math.sqrt((t * (1 - t)) / m + (f * (1 - f)) / k);
  return { n: m + k, ci: { low: clip(a.advantage - z * se), high: clip(a.advantage + z * se), method: 'normal-difference', level } };
}

/** The claim metrics judged on the membership-inference attacks (subject to {@link PRIVACY_MINIMUM}). */
const MIA_METRICS = ['membershipAuc', 'membershipAdvantage', 'tprAt1Fpr'];

/**
 * The budget under which 6.3.9 judges membership-inference claims: at least 100 members and 100
 * non-members (an AUC on fewer has a half-width above about 0.08 near 0.5, and TPR at 1 % FPR needs at
 * least 100 non-members to resolve 1 % at all).
 */
export const PRIVACY_MINIMUM = { members: 100, nonMembers: 100 } as const;

/**
 * Shortfalls of the membership-inference sample against {@link PRIVACY_MINIMUM}: the claims named become
 * inconclusive "evidence budget below minimum: …, raise with -p samples=100".
 * @param members members attacked
 * @param nonMembers non-members attacked
 * @param claimIds the membership-inference claims
 * @example
 * privacyShortfalls(20, 20, ['priv-mia'])[0]!.id; // 'budget-membership-samples'
 */
export function privacyShortfalls(members: number, nonMembers: number, claimIds: string[]): Shortfall[] {
  const min = PRIVACY_MINIMUM;
  if (!claimIds.length || (members >= min.members && nonMembers >= min.nonMembers)) return [];
  const want = Math.max(min.members, min.nonMembers);
  return [
    {
      id: 'budget-membership-samples',
      item: '5.2.9.a',
      text: {
        zh:
          `成员推断仅用 ${members} 个成员、${nonMembers} 个非成员，少于各 ${want} 个；用 -p samples=${want} 提高` +
          '（留出集不足时需在案例中提供更多留出样本）',
        en:
          `${members} members and ${nonMembers} non-members < ${min.members} and ${min.nonMembers}, raise with -p ` +
          `samples=${want} (the case must hold that many held-out samples)`,
      },
      measured: { members, nonMembers, minimum: min },
      claims: claimIds,
    },
  ];
}
