/**
 * The language rule of the reports (issue 15, "Two real languages"), as a checker over the text that
 * `pdftotext` extracts: the zh report holds no English sentence, the en report no Chinese, except the
 * standard's own titles and names.
 *
 * An English sentence is a run of at least three consecutive English words on one extracted line. A word
 * is a token of letters only (after trimming punctuation); names do not count and break a run:
 * acronyms (all capitals), camelCase or snake_case identifiers, command-line options, tokens with digits,
 * dots, slashes or brackets (file names, versions, JSON pointers), and the identifiers of the allow-list
 * (model ids, metric ids, environment strings the bundle records).
 */
import { execFileSync } from 'node:child_process';

const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;
const CJK_ALL = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+/g;

/** `pdftotext` (reading order, not `-layout`, so table cells do not run together) of a PDF. */
export function pdfPlainText(file: string): string {
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** Removes every occurrence of the given texts (compared with whitespace collapsed), returning the lines left. */
function withoutTexts(text: string, texts: string[]): string[] {
  const sorted = [...new Set(texts.filter(Boolean))].sort((a, b) => b.length - a.length);
  // a CJK title wrapped in a narrow cell comes out on two lines: rejoin the characters either side of the break
  const joined = text.replace(/([\u3400-\u9fff\uff00-\uffef])[ \t]*\n[ \t]*(?=[\u3400-\u9fff\uff00-\uffef])/g, '$1');
  return joined.split('\n').map((line) => {
    let l = line.replace(/\s+/g, ' ');
    for (const t of sorted) l = l.split(t).join(' ');
    return l;
  });
}

function isWord(token: string, allow: Set<string>): boolean {
  if (/^-{1,2}[a-z]/.test(token)) return false; // a command-line option (code)
  const t = token.replace(/^[\s"'“”‘’([{«<,;:!?.—–-]+|[\s"'“”‘’)\]}»>,;:!?.—–-]+$/g, '');
  if (!/^[A-Za-z]+(?:[-'][A-Za-z]+)*$/.test(t)) return false; // digits, dots, slashes, brackets, underscores
  if (allow.has(t) || allow.has(t.toLowerCase())) return false;
  if (t.length >= 2 && t === t.toUpperCase()) return false; // acronym
  if (/[a-z][A-Z]/.test(t)) return false; // camelCase identifier
  return true;
}

/**
 * The English sentences (runs of ≥ `minWords` English words on one line) of a text, after the texts of
 * `titles` are removed; `allow` lists identifier words that are names.
 * @example
 * englishSentences('结论：all claims met', [], new Set()); // ['all claims met']
 */
export function englishSentences(text: string, titles: string[], allow: Set<string>, minWords = 3): string[] {
  const found: string[] = [];
  for (const line of withoutTexts(text, titles)) {
    let run: string[] = [];
    const flush = () => {
      if (run.length >= minWords) found.push(run.join(' '));
      run = [];
    };
    for (const tok of line.replace(CJK_ALL, ' | ').split(/\s+/)) {
      if (!tok) continue;
      if (isWord(tok, allow)) run.push(tok);
      else flush();
    }
    flush();
  }
  return found;
}

/**
 * The lines of a text that hold CJK characters once the texts of `titles` are removed.
 * @example
 * chineseLines('Verdict: pass\n结论', []); // ['结论']
 */
export function chineseLines(text: string, titles: string[]): string[] {
  return withoutTexts(text, titles)
    .filter((l) => CJK.test(l))
    .map((l) => l.trim());
}
