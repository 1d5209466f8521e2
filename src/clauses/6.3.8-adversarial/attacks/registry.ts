/**
 * The explicit registry of black-box attacks for clause 6.3.8 (no import-time registration): a
 * score-based attack (Square Attack, also accepted as `random-search`, the family it belongs to) and
 * a decision-based one (HopSkipJump).
 */
import { InputError } from '../../../util/errors.js';
import { hopSkipJump } from './hopskipjump.js';
import { squareAttack } from './square.js';
import type { AttackDefinition } from './types.js';

const ATTACKS: readonly AttackDefinition[] = [
  {
    name: 'square',
    aliases: ['square-attack', 'random-search'],
    kind: 'score',
    norms: ['linf', 'l2'],
    title: { zh: 'Square 攻击（基于分数的随机搜索）', en: 'Square Attack (score-based random search)' },
    reference:
      'Andriushchenko M, Croce F, Flammarion N, Hein M. Square Attack: a query-efficient black-box ' +
      'adversarial attack via random search. ECCV 2020.',
    run: (t, x, o) => squareAttack(t, x, o),
  },
  {
    name: 'hopskipjump',
    aliases: ['hsj', 'hop-skip-jump'],
    kind: 'decision',
    norms: ['linf', 'l2'],
    title: { zh: 'HopSkipJump 攻击（基于决策）', en: 'HopSkipJump (decision-based)' },
    reference: 'Chen J, Jordan MI, Wainwright MJ. HopSkipJumpAttack: a query-efficient decision-based attack. IEEE S&P 2020.',
    run: (t, x, o) => hopSkipJump(t, x, o),
  },
];

/**
 * Every registered attack, in a stable order.
 * @example
 * listAttacks().map((a) => a.name); // ['square', 'hopskipjump']
 */
export function listAttacks(): readonly AttackDefinition[] {
  return ATTACKS;
}

/**
 * Looks an attack up by name or alias (case-insensitive).
 * @throws {InputError} for an unknown name (the message lists the known ones)
 * @example
 * getAttack('random-search').name; // 'square'
 */
export function getAttack(name: string): AttackDefinition {
  const key = name.toLowerCase();
  const a = ATTACKS.find((d) => d.name === key || d.aliases.includes(key));
  if (!a)
    throw new InputError(`unknown attack "${name}" / 未知攻击 "${name}"`, {
      clause: '6.3.8',
      field: 'attack',
      remedy: `use one of: ${ATTACKS.map((d) => [d.name, ...d.aliases].join(' | ')).join('; ')}`,
    });
  return a;
}
