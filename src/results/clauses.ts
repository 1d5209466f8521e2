import type { Bilingual, ClauseId } from './types.js';

/** One evaluation clause: id, template notebook name, titles, and the claim clause of chapter 5 it judges. */
export interface ClauseInfo {
  clause: ClauseId;
  /** Notebook file stem in `notebooks/`, e.g. `6.3.6-robustness`. */
  notebook: string;
  title: Bilingual;
  /** The chapter-5 (or chapter-4) clause whose claims it judges. */
  judges: string;
  /** `shall` or `should` as in the standard. */
  strength: 'shall' | 'should';
}

/**
 * The registry of chapter-6 evaluation clauses, in report order.
 *
 * @example
 * CLAUSES.find((c) => c.clause === '6.3.6')?.notebook; // '6.3.6-robustness'
 */
export const CLAUSES: readonly ClauseInfo[] = [
  {
    clause: '6.2',
    notebook: '6.2-description',
    judges: '4',
    strength: 'shall',
    title: { zh: '预训练模型说明', en: 'Pre-trained model description' },
  },
  { clause: '6.3.1', notebook: '6.3.1-trainability', judges: '5.2.1', strength: 'shall', title: { zh: '可训练性', en: 'Trainability' } },
  {
    clause: '6.3.2',
    notebook: '6.3.2-scalability',
    judges: '5.2.2',
    strength: 'shall',
    title: { zh: '架构可扩展性', en: 'Architecture scalability' },
  },
  {
    clause: '6.3.3',
    notebook: '6.3.3-transferability',
    judges: '5.2.3',
    strength: 'shall',
    title: { zh: '可迁移性', en: 'Transferability' },
  },
  { clause: '6.3.4', notebook: '6.3.4-efficiency', judges: '5.2.4', strength: 'shall', title: { zh: '模型效率', en: 'Model efficiency' } },
  {
    clause: '6.3.5',
    notebook: '6.3.5-repeatability',
    judges: '5.2.5',
    strength: 'shall',
    title: { zh: '输出可重复性', en: 'Output repeatability' },
  },
  { clause: '6.3.6', notebook: '6.3.6-robustness', judges: '5.2.6', strength: 'shall', title: { zh: '鲁棒性', en: 'Robustness' } },
  { clause: '6.3.7', notebook: '6.3.7-generalization', judges: '5.2.7', strength: 'shall', title: { zh: '泛化性', en: 'Generalisation' } },
  {
    clause: '6.3.8',
    notebook: '6.3.8-adversarial',
    judges: '5.2.8',
    strength: 'should',
    title: { zh: '对抗安全性', en: 'Adversarial security' },
  },
  { clause: '6.3.9', notebook: '6.3.9-privacy', judges: '5.2.9', strength: 'shall', title: { zh: '隐私性', en: 'Privacy' } },
];

/** Looks a clause up by id; `undefined` when unknown. */
export function clauseInfo(id: string): ClauseInfo | undefined {
  return CLAUSES.find((c) => c.clause === id);
}
