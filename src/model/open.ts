/**
 * `openModel`: opens an ONNX model on the requested execution provider, falls back to CPU with
 * a recorded reason when a provider cannot start, and verifies where a GPU provider really ran
 * the nodes before reporting it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { checkChoice } from '../util/choice.js';
import { onnxruntimeVersion } from '../util/environment.js';
import { InputError, ModelError } from '../util/errors.js';
import { elementCount } from './check.js';
import { sha256File } from './hash.js';
import { cpuDevice, cudaBinaries, gpuDevice, ORT_PROVIDER_NAMES, parseProfilePlacement, type Placement } from './providers.js';
import { metadataInfos, OrtModelSession } from './session.js';
import {
  EP_CHOICES,
  type EpChoice,
  type ModelSession,
  type OpenModelOptions,
  type ProviderFallback,
  type RunningProvider,
} from './types.js';

function firstLine(e: unknown): string {
  const msg = String((e as Error)?.message ?? e).trim();
  let line = (msg.split('\n').find((l) => l.trim()) ?? msg).trim();
  // onnxruntime prefixes its messages with the C++ source location and the failed check
  line = line.replace(/^\S+\.(cc|cpp|h):\d+\s+/, '');
  const check = line.indexOf(' was false. ');
  if (check >= 0) line = line.slice(check + ' was false. '.length);
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}

function sessionOptions(o: OpenModelOptions): ort.InferenceSession.SessionOptions {
  const so: ort.InferenceSession.SessionOptions = {};
  for (const [k, v] of [
    ['threads', o.threads],
    ['interOpThreads', o.interOpThreads],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
      throw new InputError(`${k} must be a positive integer, got ${v}`, { field: k, remedy: `pass e.g. ${k}: 2` });
    }
  }
  if (o.threads !== undefined) so.intraOpNumThreads = o.threads;
  if (o.interOpThreads !== undefined) so.interOpNumThreads = o.interOpThreads;
  if (o.executionMode !== undefined) {
    if (o.executionMode !== 'sequential' && o.executionMode !== 'parallel') {
      throw new InputError(`executionMode must be sequential or parallel, got ${o.executionMode}`, {
        field: 'executionMode',
      });
    }
    so.executionMode = o.executionMode;
  }
  if (o.graphOptimization !== undefined) {
    if (!['disabled', 'basic', 'extended', 'all'].includes(o.graphOptimization)) {
      throw new InputError(`graphOptimization must be disabled, basic, extended or all, got ${o.graphOptimization}`, {
        field: 'graphOptimization',
      });
    }
    so.graphOptimizationLevel = o.graphOptimization;
  }
  return so;
}

/** A zero-filled onnxruntime tensor of an element type (for the verification run). */
function zeros(type: string, dims: number[]): ort.Tensor {
  const n = elementCount(dims);
  const make: Record<string, () => unknown> = {
    float32: () => new Float32Array(n),
    float64: () => new Float64Array(n),
    float16: () => new Uint16Array(n),
    int8: () => new Int8Array(n),
    uint8: () => new Uint8Array(n),
    int16: () => new Int16Array(n),
    uint16: () => new Uint16Array(n),
    int32: () => new Int32Array(n),
    uint32: () => new Uint32Array(n),
    int64: () => new BigInt64Array(n),
    uint64: () => new BigUint64Array(n),
    bool: () => new Uint8Array(n),
    string: () => new Array<string>(n).fill(''),
  };
  const data = (make[type] ?? make.float32)();
  return new ort.Tensor(type as 'float32', data as Float32Array, dims);
}

/**
 * The fallback record of a provider that did not start: onnxruntime's message quoted as it is, with what a user
 * can do about it (`text` in both languages).
 */
function startFailure(ep: RunningProvider, error: string): ProviderFallback {
  if (ep === 'webgpu' && /adapter/i.test(error) && process.platform === 'linux') {
    const gpu = gpuDevice();
    const needs = "WebGPU on Linux needs a Vulkan driver: libvulkan.so.1 and the GPU vendor's Vulkan ICD";
    const needsZh = 'Linux 上的 WebGPU 需要 Vulkan 驱动：libvulkan.so.1 及 GPU 厂商的 Vulkan ICD';
    return {
      provider: ep,
      reason: `${error} (GPU seen: ${gpu ?? 'none'}; ${needs})`,
      text: {
        zh: `${ep} 未能启动：${error}（检测到的 GPU：${gpu ?? '无'}；${needsZh}）`,
        en: `${ep} did not start: ${error} (GPU seen: ${gpu ?? 'none'}; ${needs})`,
      },
    };
  }
  return { provider: ep, reason: error, text: { zh: `${ep} 未能启动：${error}`, en: `${ep} did not start: ${error}` } };
}

/** Candidate providers in order of preference, with the reasons for skipping the ones that cannot start. */
function candidates(ep: EpChoice, fallbacks: ProviderFallback[]): RunningProvider[] {
  const out: RunningProvider[] = [];
  const wantCuda = ep === 'auto' || ep === 'cuda';
  if (wantCuda) {
    const cuda = cudaBinaries();
    if (cuda.installed) out.push('cuda');
    else {
      const missing = cuda.missing.join(', ');
      const install = 'ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node';
      fallbacks.push({
        provider: 'cuda',
        reason: `CUDA provider binaries not installed (missing ${missing}); install them with ${install}`,
        text: {
          zh: `未安装 CUDA 执行提供程序的二进制文件（缺少 ${missing}）；可用 ${install} 安装`,
          en: `CUDA provider binaries not installed (missing ${missing}); install them with ${install}`,
        },
      });
    }
  }
  if (ep === 'auto' || ep === 'webgpu') out.push('webgpu');
  out.push('cpu');
  return out;
}

/**
 * Opens a GPU session with profiling on, runs one probe with zeros (symbolic dims = 1 unless
 * `probeShapes` says otherwise), and reads from onnxruntime's profile which provider ran each
 * node. Profiling ends after the probe, so later runs pay nothing for it.
 */
async function openVerified(
  path: string,
  ep: 'webgpu' | 'cuda',
  so: ort.InferenceSession.SessionOptions,
  probeShapes: Record<string, number[]> | undefined,
): Promise<{ session: ort.InferenceSession; placement: Record<string, number>; ops: Record<string, string[]> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ptmc-profile-'));
  let session: ort.InferenceSession | undefined;
  try {
    session = await ort.InferenceSession.create(path, {
      ...so,
      executionProviders: [ep],
      enableProfiling: true,
      profileFilePrefix: join(dir, 'probe'),
    });
    const feeds: Record<string, ort.Tensor> = {};
    for (const info of metadataInfos(session.inputMetadata)) {
      const dims = probeShapes?.[info.name] ?? info.shape.map((d) => (typeof d === 'number' ? d : 1));
      feeds[info.name] = zeros(info.type, dims);
    }
    try {
      await session.run(feeds);
    } catch (e) {
      const shapes = Object.entries(feeds)
        .map(([k, t]) => `${k}=[${t.dims.join(',')}]`)
        .join(' ');
      throw new ModelError(
        `${ep} started but its verification run at ${shapes} failed (${firstLine(e)}); ` +
          'pass probeShapes with a valid shape for symbolic dims',
      );
    }
    await session.endProfiling();
    const file = readdirSync(dir).find((f) => f.endsWith('.json'));
    if (!file) throw new ModelError('onnxruntime wrote no profile, so the node placement cannot be verified');
    const p = parseProfilePlacement(readFileSync(join(dir, file), 'utf8'));
    return { session, placement: p.nodes, ops: p.ops };
  } catch (e) {
    await session?.release().catch(() => undefined);
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Decides from a verification run's node placement whether a GPU provider really ran: it did when
 * onnxruntime's profile shows at least one node on it. Nodes left to other providers (usually the
 * CPU) are recorded as partial fallbacks.
 * @param ep the GPU provider tried
 * @param placement nodes and op types per onnxruntime provider (from {@link parseProfilePlacement})
 * @returns whether it ran, and the fallback records to add
 * @example
 * judgePlacement('webgpu', { nodes: { CPUExecutionProvider: 5 }, ops: { CPUExecutionProvider: ['Conv'] } }).ran; // false
 */
export function judgePlacement(ep: 'webgpu' | 'cuda', placement: Placement): { ran: boolean; fallbacks: ProviderFallback[] } {
  const mine = ORT_PROVIDER_NAMES[ep];
  const own = placement.nodes[mine] ?? 0;
  const total = Object.values(placement.nodes).reduce((a, b) => a + b, 0);
  if (own === 0) {
    const reason = `onnxruntime placed none of the ${total} nodes on ${mine}`;
    return {
      ran: false,
      fallbacks: [{ provider: ep, reason, text: { zh: `onnxruntime 未将 ${total} 个节点中的任何一个放在 ${mine} 上`, en: reason } }],
    };
  }
  const fallbacks = Object.entries(placement.nodes)
    .filter(([p]) => p !== mine)
    .map(([p, k]) => {
      const ops = (placement.ops[p] ?? []).join(', ');
      const reason = `partial: ${k} of ${total} nodes ran on ${p} (${ops})`;
      return { provider: ep, reason, text: { zh: `部分回退：${total} 个节点中有 ${k} 个在 ${p} 上运行（${ops}）`, en: reason } };
    });
  return { ran: true, fallbacks };
}

/**
 * Opens an ONNX model for inference.
 *
 * Provider choice: `cpu` runs on the CPU. `cuda` and `webgpu` try that provider and, when it
 * cannot start (binaries missing, no adapter, driver error) or runs none of the nodes, fall back
 * to `cpu`: the session still opens, `provider` says `cpu` and `fallbacks` records why. `auto`
 * (the default) tries `cuda` (only when its provider libraries are installed in onnxruntime-node's
 * bin folder), then the bundled `webgpu`, then `cpu`. A GPU provider is only reported after a probe
 * run whose onnxruntime profile shows it executed nodes; nodes it left to the CPU are recorded as
 * a partial fallback and counted in `placement`.
 *
 * @param path the `.onnx` file
 * @param options provider, threads, execution mode, graph optimisation
 * @returns an open {@link ModelSession}; call `release()` when done
 * @throws InputError when the file is missing or not a loadable ONNX model, or an option is invalid
 * @throws ModelError when even the CPU provider cannot create a session for a valid file
 * @example
 * const s = await openModel('model.onnx', { ep: 'auto', threads: 2 });
 * s.provider;  // 'cpu'
 * s.fallbacks; // [{ provider: 'cuda', reason: 'CUDA provider binaries not installed …' },
 *             //  { provider: 'webgpu', reason: '… No supported adapters' }]
 */
export async function openModel(path: string, options: OpenModelOptions = {}): Promise<ModelSession> {
  const ep = checkChoice(options.ep ?? 'auto', EP_CHOICES, 'execution provider', 'ep');
  const so = sessionOptions(options);
  const sha256 = await sha256File(path);
  const fallbacks: ProviderFallback[] = [];
  const common = { path, requestedProvider: ep, ortVersion: ort.env.versions.node ?? onnxruntimeVersion(), sha256 };
  for (const c of candidates(ep, fallbacks)) {
    if (c === 'cpu') break;
    try {
      const v = await openVerified(path, c, so, options.probeShapes);
      const judged = judgePlacement(c, { nodes: v.placement, ops: v.ops });
      fallbacks.push(...judged.fallbacks);
      if (!judged.ran) {
        await v.session.release();
        continue;
      }
      const device = gpuDevice() ?? `${c} adapter (name not exposed by onnxruntime)`;
      return new OrtModelSession(v.session, { ...common, provider: c, fallbacks, placement: v.placement, device });
    } catch (e) {
      fallbacks.push(startFailure(c, firstLine(e)));
    }
  }
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(path, { ...so, executionProviders: ['cpu'] });
  } catch (e) {
    const msg = firstLine(e);
    const bad = /protobuf|INVALID_GRAPH|INVALID_ARGUMENT|NO_MODEL|model_load|Load model/i.test(msg);
    const Cls = bad ? InputError : ModelError;
    throw new Cls(`onnxruntime cannot load ${path}: ${msg}`, {
      file: path,
      remedy: bad
        ? 'give a valid ONNX model file (ptmc inspect shows what is wrong with it)'
        : "check the model's opsets and operators are supported by onnxruntime " + (ort.env.versions.node ?? ''),
      cause: e,
    });
  }
  return new OrtModelSession(session, { ...common, provider: 'cpu', fallbacks, device: cpuDevice() });
}
