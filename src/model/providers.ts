/**
 * Execution-provider facts: which GPU providers can start here, which device a provider runs on,
 * and where onnxruntime really placed the nodes (read from its profiling output).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import { dirname, join } from 'node:path';

/** Folder holding onnxruntime-node's native binaries for this platform. */
export function ortBinDir(): string {
  const pkg = require.resolve('onnxruntime-node/package.json');
  return join(dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
}

/**
 * The CUDA provider library files onnxruntime-node loads, and which of them are missing.
 * onnxruntime-node does not bundle them: its install script downloads them only when asked
 * (`ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node`).
 * @returns `{ installed, missing }` with absolute paths of the missing files
 * @example
 * cudaBinaries().installed; // false on a default install
 */
export function cudaBinaries(): { installed: boolean; missing: string[] } {
  const dir = ortBinDir();
  const names =
    process.platform === 'win32'
      ? ['onnxruntime_providers_cuda.dll', 'onnxruntime_providers_shared.dll']
      : process.platform === 'linux'
        ? ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so']
        : [];
  if (names.length === 0) return { installed: false, missing: [`(no CUDA build for ${process.platform})`] };
  const missing = names.map((n) => join(dir, n)).filter((p) => !existsSync(p));
  return { installed: missing.length === 0, missing };
}

/** The CPU model and logical core count, e.g. `AMD EPYC 7B13 (2 logical cores)`. */
export function cpuDevice(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model?.trim() || 'unknown CPU'} (${cpus.length} logical cores)`;
}

const PCI_VENDORS: Record<string, string> = { '0x10de': 'NVIDIA', '0x1002': 'AMD', '0x8086': 'Intel' };

/**
 * Best available name of the machine's GPU: the NVIDIA driver's model line
 * (`/proc/driver/nvidia/gpus/<id>/information`), else the vendor and device id of the first PCI
 * display controller. onnxruntime-node exposes no adapter name, so this names the hardware, not
 * the adapter object onnxruntime chose.
 * @returns the name, or undefined when no GPU is visible
 */
export function gpuDevice(): string | undefined {
  try {
    const root = '/proc/driver/nvidia/gpus';
    for (const id of readdirSync(root)) {
      const info = readFileSync(join(root, id, 'information'), 'utf8');
      const m = /^Model:\s*(.+)$/m.exec(info);
      if (m) return m[1].trim();
    }
  } catch {
    /* not an NVIDIA machine, or no driver */
  }
  try {
    const root = '/sys/bus/pci/devices';
    for (const d of readdirSync(root)) {
      const cls = readFileSync(join(root, d, 'class'), 'utf8').trim();
      if (!cls.startsWith('0x03')) continue;
      const vendor = readFileSync(join(root, d, 'vendor'), 'utf8').trim();
      const device = readFileSync(join(root, d, 'device'), 'utf8').trim();
      return `${PCI_VENDORS[vendor] ?? vendor} GPU ${device} (PCI ${d})`;
    }
  } catch {
    /* no sysfs */
  }
  return undefined;
}

/** onnxruntime's internal provider names, by our short name. */
export const ORT_PROVIDER_NAMES: Record<string, string> = {
  cpu: 'CPUExecutionProvider',
  webgpu: 'WebGpuExecutionProvider',
  cuda: 'CUDAExecutionProvider',
};

/** Where the nodes of one verification run were executed. */
export interface Placement {
  /** Distinct nodes per onnxruntime provider name. */
  nodes: Record<string, number>;
  /** Op types that ran on each provider. */
  ops: Record<string, string[]>;
}

/**
 * Reads an onnxruntime profiling file (Chrome trace JSON) and counts the distinct nodes each
 * execution provider ran (`cat: "Node"` events carry `args.provider` and `args.op_name`).
 * @param json the file's text
 * @returns node counts and op types per provider
 * @example
 * parseProfilePlacement(text).nodes; // { CPUExecutionProvider: 3 }
 */
export function parseProfilePlacement(json: string): Placement {
  const events = JSON.parse(json) as { cat?: string; name?: string; args?: Record<string, unknown> }[];
  const seen = new Map<string, Set<string>>();
  const ops = new Map<string, Set<string>>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.args) continue;
    const provider = String(e.args.provider ?? '');
    if (!provider) continue;
    const node = String(e.args.node_index ?? e.name);
    if (!seen.has(provider)) seen.set(provider, new Set());
    if (!ops.has(provider)) ops.set(provider, new Set());
    seen.get(provider)!.add(node);
    if (e.args.op_name) ops.get(provider)!.add(String(e.args.op_name));
  }
  const out: Placement = { nodes: {}, ops: {} };
  for (const [p, s] of seen) {
    out.nodes[p] = s.size;
    out.ops[p] = [...ops.get(p)!].sort();
  }
  return out;
}
