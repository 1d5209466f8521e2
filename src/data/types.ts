/**
 * Types of the data layer: arrays read from files and loaded data sets.
 */
import type { DatasetRole } from './dataset-spec.js';

/** Element types a `.npy` file may hold (see {@link readNpy}). */
export type NpyDtype = 'float32' | 'float64' | 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'int64' | 'bool';

/** Typed arrays the readers return. `int64` data come back as `Float64Array` (range-checked, see {@link readNpy}). */
export type NumericArray = Float32Array | Float64Array | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

/** An N-dimensional array in C (row-major) order. */
export interface NdArray {
  /** Elements, C order. */
  data: NumericArray;
  /** Dimensions, outermost first; `[]` for a scalar. */
  shape: number[];
  /** Element type in the file it came from. */
  dtype: NpyDtype;
}

/** One value of a manifest's metadata column (`null` for an empty cell). */
export type MetaValue = string | number | null;

/**
 * A data set loaded from a case manifest by {@link loadDataset}: raw inputs stacked along the
 * first axis, class indices or masks, and per-sample metadata for subgroup analyses.
 */
export interface Dataset {
  /** Role the data set plays in the case (`test`, `train`, …). */
  role: DatasetRole;
  /** Sample ids, in manifest order. */
  ids: string[];
  /** Raw input values (e.g. HU for CT, features for tabular), N×…, C order. */
  x: Float32Array;
  /** Shape of `x`, N first (tabular: `[N, F]`; images: `[N, ...sampleShape]`). */
  shape: number[];
  /** Classification: class index per sample (index into the case's `labels`). */
  y?: Int32Array;
  /** Segmentation: class index per pixel, N×H×W. */
  masks?: Uint8Array;
  /** Shape of `masks`, `[N, H, W]`. */
  maskShape?: number[];
  /** Metadata columns of the manifest (every column that is not id, input, label, mask or feature). */
  meta: Record<string, MetaValue[]>;
  /** Metadata columns declared as subgroups (6.3.7). */
  subgroups: string[];
  /** Class labels of the case (index = class id). */
  labels: string[];
  /** Feature column names (tabular data sets). */
  featureNames?: string[];
  /** Absolute path of the manifest the data set came from. */
  source?: string;
}
