/**
 * `openModel`: opens an ONNX model on the requested execution provider, falls back to CPU with
 * a recorded reason when a provider cannot start, and verifies where a GPU provider really ran
 * the nodes before reporting it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnxruntimeVersion } from '../env/environment.js';
import { InputError, ModelError } from '../errors.js';
import { elementCount } from './check.js';
import { sha256File } from './hash.js';
import { cpuDevice, cudaBinaries, gpuDevice, ORT_PROVIDER_NAMES, parseProfilePlacement } from './providers.js';
import { metadataInfos, OrtModelSession } from './session.js';
import type { EpChoice, ModelSession, OpenModelOptions, ProviderFallback, RunningProvider } from './types.js';

const EP_CHOICES: EpChoice[] = ['auto', 'cpu', 'webgpu', 'cuda'];

function firstLine(e: unknown): string {
  const msg = String((e as Error)?.message ?? e).trim();
  const line = msg.split('\n').find((l) => l.trim()) ?? msg;
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

/** Candidate providers in order of preference, with the reasons for skipping the ones that cannot start. */
function candidates(ep: EpChoice, fallbacks: ProviderFallback[]): RunningProvider[] {
  const out: RunningProvider[] = [];
  const wantCuda = ep === 'auto' || ep === 'cuda';
  if (wantCuda) {
    const cuda = cudaBinaries();
    if (cuda.installed) out.push('cuda');
    else {
      fallbacks.push({
        provider: 'cuda',
        reason:
          `CUDA provider binaries not installed (missing ${cuda.missing.join(', ')}); ` +
          'install them with ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node',
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
      const n = elementCount(dims);
      const data =
        info.type === 'int64' ? new BigInt64Array(n)
        : info.type === 'int32' ? new Int32Array(n)
        : info.type === 'bool' ? new Uint8Array(n)
        : info.type === 'uint8' ? new Uint8Array(n)
        : new Float32Array(n);
      feeds[info.name] = new ort.Tensor(info.type as 'float32', data as Float32Array, dims);
    }
    await session.run(feeds);
    await session.endProfiling();
    const file = readdirSync(dir).find((f) => f.endsWith('.json'));
    if (!file) throw new Error('onnxruntime wrote no profile, so the node placement cannot be verified');
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
 * s.fallbacks; // [{ provider: 'cuda', reason: 'CUDA provider binaries not installed …' }, { provider: 'webgpu', reason: '… No supported adapters' }]
 */
export async function openModel(path: string, options: OpenModelOptions = {}): Promise<ModelSession> {
  const ep = options.ep ?? 'auto';
  if (!EP_CHOICES.includes(ep)) {
    throw new InputError(`unknown execution provider "${ep}"`, { field: 'ep', remedy: `use one of ${EP_CHOICES.join(', ')}` });
  }
  const so = sessionOptions(options);
  const sha256 = await sha256File(path);
  const fallbacks: ProviderFallback[] = [];
  const common = { path, requestedProvider: ep, ortVersion: ort.env.versions.node ?? onnxruntimeVersion(), sha256 };
  for (const c of candidates(ep, fallbacks)) {
    if (c === 'cpu') break;
    try {
      const v = await openVerified(path, c, so, options.probeShapes);
      const own = v.placement[ORT_PROVIDER_NAMES[c]] ?? 0;
      const total = Object.values(v.placement).reduce((a, b) => a + b, 0);
      if (own === 0) {
        await v.session.release();
        fallbacks.push({ provider: c, reason: `onnxruntime placed none of the ${total} nodes on ${ORT_PROVIDER_NAMES[c]}` });
        continue;
      }
      const others = Object.entries(v.placement).filter(([p]) => p !== ORT_PROVIDER_NAMES[c]);
      for (const [p, k] of others) {
        fallbacks.push({ provider: c, reason: `partial: ${k} of ${total} nodes ran on ${p} (${v.ops[p].join(', ')})` });
      }
      const device = gpuDevice() ?? `${c} adapter (name not exposed by onnxruntime)`;
      return new OrtModelSession(v.session, { ...common, provider: c, fallbacks, placement: v.placement, device });
    } catch (e) {
      fallbacks.push({ provider: c, reason: firstLine(e) });
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
      remedy: bad ? 'give a valid ONNX model file (ptmc inspect shows what is wrong with it)' : 'check the model\'s opsets and operators are supported by onnxruntime ' + (ort.env.versions.node ?? ''),
      cause: e,
    });
  }
  return new OrtModelSession(session, { ...common, provider: 'cpu', fallbacks, device: cpuDevice() });
}
