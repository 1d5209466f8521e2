/**
 * The fallback reasons that this tool writes (src/model/open.ts, the built-in trainer) phrased in
 * the report's language (`templates/report/strings.json`, keys `fb…`); the runtime's own quoted
 * message, paths and commands are kept as they are. A reason of another form is shown unchanged,
 * a bilingual one in the report's language. Table cells of these forms (6.3.2, 6.3.5) go through it too.
 */
import type { Bilingual, Lang } from '../results/types.js';
import { fill, reportStrings } from './strings.js';

/** Patterns of the English reasons, each with its string key and the names of its captured parts. */
const PATTERNS: [RegExp, string, string[]][] = [
  // the wrappers first: the reason they quote is phrased in turn
  [/^not available on this machine: (.+)$/s, 'fbNotAvailable', ['reason']],
  [/^(\S+): not available on this machine \((.+)\)$/s, 'fbProviderNotAvailable', ['ep', 'reason']],
  [/^fell back to (\S+)$/s, 'fbFellBack', ['ep']],
  [/^CUDA provider binaries not installed \(missing (.+)\); install them with (.+)$/s, 'fbCudaMissing', ['missing', 'cmd']],
  [
    /^(.+) \(GPU seen: (.+?); WebGPU on Linux needs a Vulkan driver: libvulkan\.so\.1 and the GPU vendor's Vulkan ICD\)$/s,
    'fbWebgpuLinux',
    ['message', 'gpu'],
  ],
  [/^onnxruntime placed none of the (\d+) nodes on (.+)$/s, 'fbNoneOfNodes', ['total', 'ep']],
  [/^partial: (\d+) of (\d+) nodes ran on (\S+) \((.*)\)$/s, 'fbPartial', ['k', 'total', 'ep', 'ops']],
  [
    /^the built-in trainer runs the frozen prefix on onnxruntime's CPU provider and trains in TensorFlow\.js on the CPU$/s,
    'fbBuiltinTrainer',
    [],
  ],
];

/**
 * A fallback reason in `lang`.
 * @example
 * fallbackReason('onnxruntime placed none of the 12 nodes on cuda', 'zh'); // 'onnxruntime 未将 12 个节点中的任何一个分配到 cuda'
 */
export function fallbackReason(reason: string | Bilingual, lang: Lang): string {
  if (typeof reason !== 'string') return reason[lang] || reason.en;
  const s = reportStrings(lang);
  for (const [re, key, names] of PATTERNS) {
    const m = re.exec(reason);
    if (!m) continue;
    const vars: Record<string, string> = {};
    names.forEach((n, i) => (vars[n] = m[i + 1]!));
    if (vars['gpu'] === 'none') vars['gpu'] = s['gpuNone']!;
    // a reason quoted inside another is phrased in the same language
    if (vars['reason'] !== undefined) vars['reason'] = fallbackReason(vars['reason'], lang);
    return fill(s[key]!, vars);
  }
  return reason;
}
