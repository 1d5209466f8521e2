/**
 * Human-readable text of a {@link ModelInspection}: a summary and a per-layer table (cf. table
 * B.1 of the standard), as `ptmc inspect` prints it.
 */
import type { ModelInspection } from './types.js';

/** 1234567 → `1,234,567`. */
function n(x: number): string {
  return x.toLocaleString('en-US');
}

/** 12345678 → `12.35 M` (K, M, G, T). */
export function humanCount(x: number): string {
  const units = ['', ' K', ' M', ' G', ' T'];
  let i = 0;
  let v = x;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? String(x) : `${v.toFixed(2)}${units[i]}`;
}

/** `1,234,567 (1.23 M)`; small numbers without the second form. */
function both(x: number): string {
  return Math.abs(x) >= 1000 ? `${n(x)} (${humanCount(x)})` : n(x);
}

function table(head: string[], rows: string[][], right: boolean[]): string[] {
  const w = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]): string =>
    r
      .map((s, c) => (right[c] ? s.padStart(w[c]) : s.padEnd(w[c])))
      .join('  ')
      .trimEnd();
  return [line(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)];
}

/**
 * Formats an inspection for a terminal.
 * @param r the inspection
 * @param layers include the per-layer table (default true)
 * @returns lines joined with `\n`
 * @example
 * process.stdout.write(formatInspection(await inspectModel('model.onnx')) + '\n');
 */
export function formatInspection(r: ModelInspection, layers = true): string {
  const shape = (s: (number | string)[] | null): string => (s ? `[${s.join(',')}]` : '(no shape)');
  const io = (xs: ModelInspection['inputs']): string => xs.map((x) => `${x.name} ${x.type} ${shape(x.shape)}`).join('; ');
  const ops = Object.entries(r.opTypes)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const out = [
    `model       ${r.path}`,
    `sha256      ${r.sha256}`,
    `size        ${n(r.bytes)} bytes${r.externalDataBytes ? ` + ${n(r.externalDataBytes)} bytes of external data` : ''}`,
    `format      ONNX IR ${r.irVersion}; opsets ${r.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ')}`,
    `producer    ${[r.producer.name, r.producer.version].filter(Boolean).join(' ') || '(not recorded)'}`,
    `inputs      ${io(r.inputs)}`,
    `outputs     ${io(r.outputs)}`,
    `nodes       ${r.nodeCount}${r.totalNodeCount !== r.nodeCount ? ` (${r.totalNodeCount} with subgraphs)` : ''}: ${ops}`,
    `parameters  ${both(r.parameters.total)} in ${r.parameters.initializers.length} ` +
      `initializers; ${n(r.parameters.floatingPoint)} floating-point`,
  ];
  if (r.macs === null) {
    out.push(`MACs        not computed: ${r.macsNote ?? 'input shape unknown'}`);
  } else {
    const at = Object.entries(r.inputShapes)
      .map(([k, v]) => `${k}=[${v.join(',')}]`)
      .join(' ');
    out.push(`MACs        ${both(r.macs)}${r.macsComplete ? '' : ' — lower bound, see not counted'}; FLOPs ${both(r.flops ?? 0)} at ${at}`);
  }
  if (r.notCounted.length) {
    out.push(`not counted ${r.notCounted.length} node(s):`);
    for (const x of r.notCounted) out.push(`  ${x.name} (${x.op}): ${x.reason}`);
  }
  if (layers && r.layers.length) {
    out.push('', 'layers (main graph):');
    const rows = r.layers.map((l, i) => [
      String(i + 1),
      l.name,
      l.op,
      l.inputShapes.map((s) => (s ? `[${s.join(',')}]` : '?')).join(' ') || '-',
      l.outputShape ? `[${l.outputShape.join(',')}]` : '?',
      n(l.parameters),
      l.macs === null ? 'n/c' : n(l.macs),
    ]);
    out.push(
      ...table(['#', 'name', 'op', 'input shape', 'output shape', 'parameters', 'MACs'], rows, [
        true,
        false,
        false,
        false,
        false,
        true,
        true,
      ]),
    );
  }
  return out.join('\n');
}
