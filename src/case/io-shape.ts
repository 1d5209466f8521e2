/**
 * The per-sample shape a model sees for a raw sample, after the case's io transforms (channel order), so that
 * checks at load and in the preflight compare what will actually be fed.
 */
import type { ModelIOSpec } from './types.js';

/**
 * A raw sample's shape (no batch dim) as fed to the model: channels-last images `[H,W,C]` become `[C,H,W]`
 * when `io.channelOrder` is `NCHW`.
 * @example
 * modelSampleShape({ …, channelOrder: 'NCHW' }, [48, 192, 3]); // [3, 48, 192]
 */
export function modelSampleShape(io: ModelIOSpec, shape: readonly number[]): number[] {
  if (io.channelOrder === 'NCHW' && shape.length === 3) return [shape[2]!, shape[0]!, shape[1]!];
  return shape.slice();
}

/** The channel count `standardize` normalises per: the declared channel dim for NCHW images, else the last dim. */
export function standardizedDim(io: ModelIOSpec): number | string | undefined {
  const s = io.inputShape;
  if (io.channelOrder === 'NCHW' && s.length === 4) return s[1];
  return s[s.length - 1];
}
