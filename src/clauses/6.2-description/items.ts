import { InputError } from '../../util/errors.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../util/package-root.js';
import type { Bilingual } from '../../results/types.js';

/** Strength of a chapter-4 item as in the standard: 应 shall, 宜 should, 如适用，应 shall where applicable. */
export type ItemStrength = 'shall' | 'should' | 'shall-if-applicable';

/** One chapter-4 item of `templates/description.schema.json` (a property with `x-clause`). */
export interface DescriptionItem {
  /** Clause number, e.g. `4.2.3` or `4.2.4 d)`. */
  clause: string;
  /** JSON Pointer of the item in a description document, e.g. `/framework/parameters/layers`. */
  pointer: string;
  strength: ItemStrength;
  title: Bilingual;
  /** Pointer of the nearest enclosing item (absent for top-level items). */
  parent?: string;
}

/** One completeness finding of 6.2. */
export interface CompletenessFinding {
  kind: 'completeness';
  clause: string;
  item: string;
  title: Bilingual;
  /** The strength that applied (a conditional item becomes `shall` when its condition holds). */
  strength: ItemStrength;
  /**
   * present; missing (a shall item: fails 6.2); noted (a should or where-applicable item, missing: reported,
   * not failing); not-applicable; declared-unknown (listed in the description's `notPublished` with a reason:
   * on a shall item 6.2 is inconclusive, not failed).
   */
  status: 'present' | 'missing' | 'noted' | 'not-applicable' | 'declared-unknown';
  note?: Bilingual;
}

type Schema = Record<string, unknown>;

/**
 * The chapter-4 items, read from the `x-clause`/`x-strength`/`x-title` annotations of
 * `templates/description.schema.json`, in document order.
 * @example
 * descriptionItems().find((i) => i.pointer === '/framework/parameters')?.clause; // '4.2.3'
 */
export function descriptionItems(): DescriptionItem[] {
  const schema = JSON.parse(readFileSync(join(packageRoot(), 'templates', 'description.schema.json'), 'utf8')) as Schema;
  const out: DescriptionItem[] = [];
  const walk = (s: Schema, pointer: string, parent: string | undefined) => {
    const props = s.properties as Record<string, Schema> | undefined;
    if (!props) return;
    for (const [k, sub] of Object.entries(props)) {
      const p = `${pointer}/${k}`;
      let next = parent;
      if (typeof sub['x-clause'] === 'string') {
        out.push({
          clause: sub['x-clause'] as string,
          pointer: p,
          strength: sub['x-strength'] as ItemStrength,
          title: sub['x-title'] as Bilingual,
          ...(parent ? { parent } : {}),
        });
        next = p;
      }
      walk(sub, p, next);
    }
  };
  walk(schema, '', undefined);
  return out;
}

/**
 * Reads a JSON Pointer (`/a/b/0`) from a document; `undefined` when a step is missing.
 * @example
 * pointerGet({ a: { b: [5] } }, '/a/b/0'); // 5
 */
export function pointerGet(doc: unknown, pointer: string): unknown {
  let cur: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/**
 * Whether a description value counts as given: not undefined/null, a non-blank string that is not a
 * skeleton placeholder (`TODO…`, as in `templates/description.template.json`), a
 * `{zh, en}` text with at least one non-blank side, a non-empty array, or an object with at least
 * one given value. Numbers and booleans are given.
 */
export function isGiven(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim().length > 0 && !/^TODO\b/i.test(v.trim());
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.values(v as object).some(isGiven);
  return true;
}

/** Conditional items: the strength becomes `shall` when the condition holds, else the item is not applicable. */
const CONDITIONS: Record<string, { when: (doc: unknown) => boolean; why: Bilingual; only: Bilingual }> = {
  '/framework/structure/differences': {
    when: (d) => pointerGet(d, '/framework/structure/origin') === 'modified-public',
    why: { zh: '应提供，因为 origin 为 modified-public', en: 'required because origin is modified-public' },
    only: { zh: '仅当 origin 为 modified-public 时应提供', en: 'required only when origin is modified-public' },
  },
  '/framework/structure/mathematicalDescription': {
    when: (d) => pointerGet(d, '/framework/structure/origin') === 'proprietary',
    why: { zh: '应提供，因为 origin 为 proprietary', en: 'required because origin is proprietary' },
    only: { zh: '仅当 origin 为 proprietary 时应提供', en: 'required only when origin is proprietary' },
  },
  '/framework/nodes/algorithm': {
    when: (d) => !isGiven(pointerGet(d, '/framework/nodes/neuronCount')),
    why: { zh: '应提供，因为未给出神经元节点数量（非神经网络模型）', en: 'required because no neuron count is given (a non-neural model)' },
    only: { zh: '仅非神经网络模型（未给出神经元节点数量）应提供', en: 'required only for non-neural models (no neuron count given)' },
  },
};

/**
 * Completeness of a description per chapter-4 item: a missing shall item is `missing` (6.2 fails);
 * a missing should or where-applicable item is `noted`; an item the description lists in `notPublished`
 * with a reason (and does not give) is `declared-unknown`; items inside a missing item are not
 * listed again (the enclosing item's finding covers them).
 * @param doc the parsed description
 * @returns one finding per item, in document order
 * @example
 * completeness(desc).filter((f) => f.status === 'missing').map((f) => f.clause); // ['4.2.3']
 */
export function completeness(doc: unknown, file = 'description.json'): CompletenessFinding[] {
  const out: CompletenessFinding[] = [];
  const absent = new Set<string>();
  const items = descriptionItems();
  const unknown = notPublished(doc, items, file);
  for (const it of items) {
    if (it.parent && absent.has(it.parent)) {
      absent.add(it.pointer);
      continue;
    }
    const given = isGiven(pointerGet(doc, it.pointer));
    let strength = it.strength;
    const cond = CONDITIONS[it.pointer];
    const f: CompletenessFinding = {
      kind: 'completeness',
      clause: it.clause,
      item: it.pointer,
      title: it.title,
      strength,
      status: 'present',
    };
    if (cond) {
      if (cond.when(doc)) {
        strength = f.strength = 'shall';
        f.note = cond.why;
      } else if (!given) {
        f.status = 'not-applicable';
        f.note = cond.only;
        out.push(f);
        continue;
      }
    }
    const reason = unknown.get(it.pointer);
    if (!given && reason) {
      absent.add(it.pointer);
      f.status = 'declared-unknown';
      f.note = { zh: `声明未公开：${reason.zh}`, en: `declared not published: ${reason.en}` };
    } else if (!given) {
      absent.add(it.pointer);
      f.status = strength === 'shall' ? 'missing' : 'noted';
      if (strength === 'should') f.note = { zh: '未提供"宜"项', en: 'recommended (should) item not given' };
      if (strength === 'shall-if-applicable')
        f.note = {
          zh: '"如适用，应"项未提供，请核实其确不适用',
          en: 'required where applicable; not given — check that it does not apply',
        };
    }
    out.push(f);
  }
  return out;
}

/**
 * The description's `notPublished` entries (item pointer → reason in both languages; a plain-string reason stands for both).
 * @throws InputError when an entry names no chapter-4 item or has no reason
 */
function notPublished(doc: unknown, items: DescriptionItem[], file: string): Map<string, Bilingual> {
  const out = new Map<string, Bilingual>();
  const np = pointerGet(doc, '/notPublished');
  if (np === undefined) return out;
  const known = new Set(items.map((i) => i.pointer));
  for (const [ptr, why] of Object.entries(np as Record<string, unknown>)) {
    const text = typeof why === 'string' ? why : ((why as { en?: unknown } | null)?.en ?? '');
    if (!known.has(ptr)) {
      throw new InputError(`notPublished names "${ptr}", which is not a chapter-4 item of the description`, {
        file,
        field: `notPublished/${ptr}`,
        remedy: `use the JSON Pointer of an item, e.g. ${items
          .slice(0, 3)
          .map((i) => i.pointer)
          .join(', ')} (templates/description.schema.json lists them with x-clause)`,
      });
    }
    if (typeof text !== 'string' || text.trim() === '') {
      throw new InputError(`notPublished "${ptr}" gives no reason`, {
        file,
        field: `notPublished/${ptr}`,
        remedy: 'say why the item is unknown, e.g. "the upstream project does not publish its training data"',
      });
    }
    const zh = typeof why === 'string' ? why : (why as { zh?: unknown }).zh;
    out.set(ptr, { zh: typeof zh === 'string' && zh.trim() ? zh : text, en: text });
  }
  return out;
}
