/**
 * Cell-relative line:column in tracebacks. tslab compiles a cell's TypeScript to CommonJS in two passes
 * (its own transformers, then `ts.transpileModule`) without a source map, and runs the result with
 * `vm.runInThisContext` under the name `evalmachine.<anonymous>`. Here each cell's script gets its own
 * file name (`<cell N>`), and a position V8 reports in the emitted JavaScript is mapped back to the
 * TypeScript the user wrote by aligning the tokens of the emitted line with those of the cell's lines
 * (types and annotations are extra tokens on the TypeScript side; the emitted line's identifiers,
 * strings, numbers and operators appear there in the same order).
 */
import vm from 'node:vm';

/** A cell's source and the JavaScript that ran for it. */
export interface CellScript {
  /** label shown in tracebacks, e.g. the execution count */
  label: string;
  ts: string;
  js: string;
}

interface Token {
  text: string;
  col: number;
}

/** The last line of tslab's cell wrapper (the call of the wrapping function: not the user's code). */
const WRAPPER_END = /^\}\)\(__tslab__\./;

const TOKEN = /[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`[^`\n]*`|[^\s\w]/g;

function tokens(line: string): Token[] {
  return [...line.matchAll(TOKEN)].map((m) => ({ text: m[0], col: m.index ?? 0 }));
}

/** Longest common subsequence of two token lists, as index pairs. */
function align(a: Token[], b: Token[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const t = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) t[i][j] = a[i].text === b[j].text ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m;) {
    if (a[i].text === b[j].text) pairs.push([i++, j++]);
    else if (t[i + 1][j] >= t[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

/**
 * Maps a 1-based line and column of the emitted JavaScript to the cell's TypeScript.
 * @param ts the cell source
 * @param js the emitted JavaScript (as run, the wrapper prefix included on its first line)
 * @param line 1-based line in `js`
 * @param column 1-based column in `js`
 * @returns the 1-based line and column in `ts`, or undefined when no cell line shares a token with it
 * @example
 * mapPosition('const a: number = 1;\nthrow new Error("x");', 'const a = 1;\nthrow new Error("x");', 2, 7); // { line: 2, column: 7 }
 */
export function mapPosition(ts: string, js: string, line: number, column: number): { line: number; column: number } | undefined {
  const jsLine = js.split('\n')[line - 1];
  if (jsLine === undefined || WRAPPER_END.test(jsLine)) return undefined;
  const jt = tokens(jsLine);
  if (jt.length === 0) return undefined;
  let k = jt.findIndex((t) => t.col + t.text.length > column - 1);
  if (k < 0) k = jt.length - 1;
  const tsLines = ts.split('\n');
  const expected = ((line - 1) / Math.max(1, js.split('\n').length - 1)) * (tsLines.length - 1);
  let best: { score: number; dist: number; line: number; pairs: [number, number][]; tt: Token[] } | undefined;
  tsLines.forEach((l, i) => {
    const tt = tokens(l);
    const pairs = align(jt, tt);
    const score = pairs.length + (pairs.some(([a]) => a === k) ? 0.5 : 0);
    // Ties: the line with fewer tokens left over, then the line nearer the proportional position.
    const dist = (tt.length - pairs.length) * tsLines.length + Math.abs(i - expected);
    if (pairs.length > 0 && (!best || score > best.score || (score === best.score && dist < best.dist)))
      best = { score, dist, line: i, pairs, tt };
  });
  if (!best) return undefined;
  const exact = best.pairs.find(([a]) => a === k);
  const before = [...best.pairs].reverse().find(([a]) => a < k);
  const col = exact ? best.tt[exact[1]].col : before ? best.tt[before[1]].col : (best.tt[0]?.col ?? 0);
  return { line: best.line + 1, column: col + 1 };
}

const TSLAB_PREFIX = /^\((?:async )?function\(exports, require\) \{ /;
const scripts = new Map<string, CellScript>();
let current: { label: string; ts: string } | undefined;
let seq = 0;
let patched = false;

/**
 * Makes the scripts tslab runs while `run` is in progress carry the cell's own file name, and records
 * them for {@link cellFrame}. `vm.runInThisContext` is wrapped once; calls outside a cell, and calls
 * that are not tslab's cell wrapper, pass through unchanged.
 * @param label the cell's label (its execution count)
 * @param ts the cell source
 * @param run runs the cell
 * @returns what `run` returns
 */
export async function withCellScripts<T>(label: string, ts: string, run: () => Promise<T>): Promise<T> {
  if (!patched) {
    patched = true;
    const original = vm.runInThisContext;
    vm.runInThisContext = function (code: string, options?: vm.RunningScriptOptions | string) {
      if (current && typeof code === 'string' && TSLAB_PREFIX.test(code) && typeof options === 'object' && !options.filename) {
        const filename = `<cell ${current.label}>#${++seq}`;
        scripts.set(filename, { label: current.label, ts: current.ts, js: code });
        return original.call(vm, code, { ...options, filename });
      }
      return original.call(vm, code, options);
    } as typeof vm.runInThisContext;
  }
  const outer = current;
  current = { label, ts };
  try {
    return await run();
  } finally {
    current = outer;
  }
}

/**
 * Rewrites one stack frame line that points into a cell's script to the cell's own line and column.
 * @param frame e.g. `    at f (<cell 3>#7:12:15)`
 * @returns e.g. `    at f (<cell 3>:4:17)`; other frames unchanged; undefined for the frame of tslab's wrapper call
 */
export function cellFrame(frame: string): string | undefined {
  const m = /<cell [^>]*>#\d+:(\d+):\d+/.exec(frame);
  const s = m && scripts.get(m[0].slice(0, m[0].indexOf(':')));
  if (s && WRAPPER_END.test(s.js.split('\n')[Number(m[1]) - 1] ?? '')) return undefined;
  return frame.replace(/(<cell [^>]*>)#\d+:(\d+):(\d+)/g, (whole, _name: string, l: string, c: string) => {
    const key = whole.slice(0, whole.indexOf(':'));
    const s = scripts.get(key);
    if (!s) return whole;
    const p = mapPosition(s.ts, s.js, Number(l), Number(c));
    return p ? `<cell ${s.label}>:${p.line}:${p.column}` : `<cell ${s.label}>`;
  });
}
