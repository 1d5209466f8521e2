import * as os from 'node:os';
import type { EnvironmentInfo, ProviderFallbackInfo } from '../results/types.js';

/** What ran a model: filled from a model session (see `src/model`). */
export interface ProviderInfo {
  /** The provider that actually ran. */
  executionProvider: string;
  requestedProvider?: string;
  fallbacks?: ProviderFallbackInfo[];
  /** GPU adapter / device name when a GPU provider ran. */
  gpu?: string;
}

/** onnxruntime-node's version, read from its package.json (no session needed). */
export function onnxruntimeVersion(): string {
  try {
    return (require('onnxruntime-node/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * Describes this machine and the provider that ran: OS, CPU model and cores, memory, Node and
 * onnxruntime versions.
 * @param provider what actually ran (defaults to `cpu` with no fallbacks)
 * @example
 * collectEnvironment({ executionProvider: 'cpu' }).cpu; // 'Intel(R) Xeon(R) … (2 cores)'
 */
export function collectEnvironment(provider: ProviderInfo = { executionProvider: 'cpu' }): EnvironmentInfo {
  const cpus = os.cpus();
  const env: EnvironmentInfo = {
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: `${cpus[0]?.model?.trim() ?? 'unknown'} (${cpus.length} logical cores)`,
    cores: cpus.length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    onnxruntime: onnxruntimeVersion(),
    executionProvider: provider.executionProvider,
  };
  if (provider.requestedProvider) env.requestedProvider = provider.requestedProvider;
  if (provider.fallbacks?.length) env.fallbacks = provider.fallbacks;
  if (provider.gpu) env.gpu = provider.gpu;
  return env;
}
