/**
 * Works around a tslab converter bug: in a cell, an object literal's shorthand property that names a
 * variable declared in an earlier cell (`displayTable({ rows })`) compiles to a reference to a name
 * that no longer exists (tslab rewrites earlier cells' declarations, not shorthand names), so it fails
 * with a ReferenceError. Expanding every shorthand property `{ a }` to `{ a: a }` (and `{ a = 1 }` in
 * destructuring assignments to `{ a: a = 1 }`) means the same in JavaScript and compiles correctly.
 * Edits stay on the same line, so line numbers of diagnostics are unchanged.
 */
import { dirname } from 'node:path';

interface TsNode {
  kind: number;
  pos: number;
  end: number;
  getStart(sf?: unknown): number;
  forEachChild(cb: (n: TsNode) => void): void;
  name?: { getStart(sf?: unknown): number; end: number; text: string };
}

interface TsLike {
  createSourceFile(file: string, text: string, target: number, setParents: boolean): TsNode;
  SyntaxKind: { ShorthandPropertyAssignment: number };
  ScriptTarget: { Latest: number };
}

let ts: TsLike | undefined;

function typescript(): TsLike {
  if (!ts) {
    const tslabDir = dirname(require.resolve('tslab/package.json'));
     
    ts = require(require.resolve('@tslab/typescript-for-tslab', { paths: [tslabDir] })) as TsLike;
  }
  return ts;
}

/**
 * Rewrites shorthand properties of object literals as `name: name`.
 * @param code a cell's TypeScript source
 * @returns the rewritten source (the same string when there is nothing to rewrite)
 * @example
 * expandShorthand('f({ a, b: 1 })'); // 'f({ a: a, b: 1 })'
 */
export function expandShorthand(code: string): string {
  if (!code.includes('{')) return code;
  const t = typescript();
  const sf = t.createSourceFile('cell.ts', code, t.ScriptTarget.Latest, true);
  const inserts: { at: number; text: string }[] = [];
  const visit = (n: TsNode): void => {
    if (n.kind === t.SyntaxKind.ShorthandPropertyAssignment && n.name) inserts.push({ at: n.name.end, text: `: ${n.name.text}` });
    n.forEachChild(visit);
  };
  visit(sf);
  if (!inserts.length) return code;
  let out = code;
  for (const i of inserts.sort((a, b) => b.at - a.at)) out = out.slice(0, i.at) + i.text + out.slice(i.at);
  return out;
}
