/**
 * The data-set part of an evaluation case: task and modality kinds, data-set roles and the manifest
 * description of one data set (`case.json` `/datasets/<role>`; schema: `templates/case.schema.json`).
 */

/** Task type of the model. */
export type TaskType = 'classification' | 'segmentation' | 'detection' | 'text';

/** Data modality (chooses the corruption registry of 6.3.6 among other things). */
export type Modality = 'ct' | 'mr' | 'image' | 'tabular' | 'signal' | 'text';

/** Roles a data set can play in a case. */
export type DatasetRole = 'train' | 'validation' | 'test' | 'downstreamTrain' | 'downstreamTest' | 'ood' | 'invalid' | 'hard';

/** Every role, in a stable order. */
export const DATASET_ROLES: readonly DatasetRole[] = [
  'train',
  'validation',
  'test',
  'downstreamTrain',
  'downstreamTest',
  'ood',
  'invalid',
  'hard',
];

/**
 * One data set of a case: a manifest (CSV with header, or JSON array of objects) whose rows are
 * samples. Image/volume samples name their input file in `inputColumn`; tabular samples hold
 * their features in `featureColumns`.
 */
export interface DatasetSpec {
  /** Manifest path, relative to the case directory. */
  manifest: string;
  /** Column with the sample id (default `id`). */
  idColumn?: string;
  /** Column with the input file path, relative to the manifest's folder (default `input`). Images: `.npy`, `.png`, `.dcm`. */
  inputColumn?: string;
  /** Tabular data: the feature columns, in model input order. */
  featureColumns?: string[];
  /** Classification: the label column (default `label`), holding a label name of `labels` or its index. */
  labelColumn?: string;
  /** Segmentation: the mask file column (default `mask`; `.png` or `.npy`, 0/1 or class indices). */
  maskColumn?: string;
  /** Metadata columns used as subgroups in 6.3.7 (site, device, sex, age band…). */
  subgroups?: string[];
  /** Free text: where the data come from. */
  note?: string;
}
