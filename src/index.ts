/**
 * ptm-conformity: the public surface for notebooks and programs, listed name by name (as
 * onnxruntime-common's `index.ts` and arquero's `api.js` do). Everything not named here is internal
 * and may change between versions.
 *
 * @example
 * import { loadCase, openCaseModel, evaluateRobustness, saveClauseEvaluation } from 'ptm-conformity';
 */

// Errors, clause registry and the ClauseResult contract
export {
  PtmcError,
  InputError,
  UsageError,
  SchemaError,
  ModelError,
  ExecutionError,
  EvaluationError,
  type ErrorContext,
} from './util/errors.js';
export { CLAUSES, clauseInfo, type ClauseInfo } from './results/clauses.js';
export type {
  Bilingual,
  ClaimCheck,
  ClauseId,
  ClauseResult,
  ConfidenceInterval,
  EnvironmentInfo,
  FigureRef,
  Measurement,
  ResultTable,
  Verdict,
} from './results/types.js';
export { collectEnvironment, onnxruntimeVersion, type ProviderInfo } from './util/environment.js';
export { Rng } from './util/random.js';
export { writeFileAtomic } from './util/fs.js';

// Evaluation cases
export { loadCase, readJsonFile } from './case/load.js';
export { initCase } from './case/init.js';
export {
  openCaseModel,
  loadCaseDataset,
  applyPreprocess,
  postprocess,
  modelInputShape,
  type CaseModel,
  type Prediction,
} from './case/predict.js';
export type {
  CaseSpec,
  Claim,
  ClaimsDocument,
  Comparator,
  LoadedCase,
  ModelIOSpec,
  ModelVariantSpec,
  TrainingSpec,
  AffinePreprocess,
  StandardizePreprocess,
} from './case/types.js';
export { DATASET_ROLES, type DatasetRole, type DatasetSpec, type Modality, type TaskType } from './data/dataset-spec.js';

// Models
export { openModel } from './model/open.js';
export { inspectModel } from './model/inspect.js';
export { formatInspection } from './model/format.js';
export { sha256File } from './model/hash.js';
export type {
  BatchResult,
  EpChoice,
  FeedTensor,
  InitializerInfo,
  InspectOptions,
  LayerRow,
  ModelInspection,
  ModelSession,
  OpenModelOptions,
  OutputTensor,
  PredictAllOptions,
  ProviderFallback,
  RunBatchesOptions,
  RunningProvider,
  TensorInfo,
} from './model/types.js';

// Data
export { readNpy, writeNpy, encodeNpy } from './data/npy.js';
export { readPng, readPngFolder, type PngImage } from './data/png.js';
export { readDicom, type DicomImage } from './data/dicom.js';
export { readCsv, readCsvTable, parseCsv } from './data/csv.js';
export { readArrayFile } from './data/files.js';
export { readManifest, loadDataset, type LoadDatasetOptions, type Manifest } from './data/manifest.js';
export { datasetTable, subset } from './data/dataset.js';
export { danfo } from './data/danfo.js';
export type { Dataset, MetaValue, NdArray, NpyDtype, NumericArray } from './data/types.js';

// Metrics (scikit-learn's definitions and option names)
export {
  accuracyScore,
  precisionScore,
  recallScore,
  f1Score,
  fbetaScore,
  specificityScore,
  precisionRecallFscoreSupport,
  type PrfsResult,
} from './metrics/classification.js';
export { confusionMatrix, type ConfusionMatrixOptions } from './metrics/confusion.js';
export { rocAucScore, averagePrecisionScore, precisionRecallCurve, rocCurvePoints, type RankingOptions } from './metrics/ranking.js';
export {
  segmentationMetrics,
  diceScore,
  iouScore,
  pixelAccuracyScore,
  type SegmentationOptions,
  type SegmentationReport,
} from './metrics/segmentation.js';
export { classificationReport, type ClassificationReport, type ClassificationReportOptions } from './metrics/classification-report.js';
export {
  cocoAveragePrecision,
  boxIou,
  maskIou,
  type DetectionBox,
  type GroundTruthBox,
  type DetectionReport,
} from './metrics/detection.js';
export { spanPrf, type Span, type SpanReport } from './metrics/text.js';
export { wilsonInterval, bootstrapCI, percentileInterval, type BootstrapOptions, type Estimate } from './metrics/ci.js';
export { benjaminiHochberg, twoProportionZTest, chiSquareTest, mannKendall, normalCdf, normalQuantile } from './metrics/stats.js';
export { perClassTable, perSampleTable, groupMetrics } from './metrics/tables.js';
export type { Average, ClassificationOptions, ZeroDivision } from './metrics/options.js';

// Figures and display
export {
  figureIn,
  saveFigure,
  renderPlotlySvg,
  standaloneSvg,
  type LocalizedFigure,
  type PlotlyFigure,
  type RenderOptions,
} from './figures/render.js';
export { baseLayout, figureText, houseAxis, type FigureLang, type FigureText } from './figures/style.js';
export { barChart, histogram, lineChart, scatterChart, paretoFront } from './figures/charts.js';
export { forestPlot, heatmap, imageGrid, rocCurve } from './figures/charts-eval.js';
export {
  displayHtml,
  displayJson,
  displayMarkdown,
  displayPng,
  displaySvg,
  htmlBundle,
  jsonBundle,
  markdownBundle,
  pngBundle,
  svgBundle,
} from './display/basic.js';
export { updateDisplay, type DisplayOptions } from './display/emit.js';
export { displayPlot, interactivePlots, setInteractivePlots, type PlotOptions } from './display/plot.js';
export { displayTable, type TableOptions } from './display/table.js';

// Clause evaluations (one per template notebook)
export { checkDescription, type CheckDescriptionOptions } from './clauses/6.2-description/evaluate.js';
export { evaluateTrainability, type TrainabilityOptions } from './clauses/6.3.1-trainability/evaluate.js';
export { evaluateScalability, type ScalabilityOptions } from './clauses/6.3.2-scalability/evaluate.js';
export { evaluateTransferability, type TransferabilityOptions } from './clauses/6.3.3-transferability/evaluate.js';
export { evaluateEfficiency, type EfficiencyOptions } from './clauses/6.3.4-efficiency/evaluate.js';
export { evaluateRepeatability, type RepeatabilityOptions } from './clauses/6.3.5-repeatability/evaluate.js';
export { evaluateRobustness, type RobustnessOptions } from './clauses/6.3.6-robustness/evaluate.js';
export {
  CORRUPTIONS,
  corruptionsFor,
  getCorruption,
  corrupt,
  noiseCorruptionFor,
} from './clauses/6.3.6-robustness/corruptions/registry.js';
export type { Corruption, CorruptionContext } from './clauses/6.3.6-robustness/corruptions/types.js';
export { evaluateGeneralization, type GeneralizationOptions } from './clauses/6.3.7-generalization/evaluate.js';
export { evaluateAdversarial, type AdversarialOptions } from './clauses/6.3.8-adversarial/evaluate.js';
export { listAttacks, getAttack } from './clauses/6.3.8-adversarial/attacks/registry.js';
export type { AttackDefinition, AttackOptions, AttackResult, AttackTarget } from './clauses/6.3.8-adversarial/attacks/types.js';
export { evaluatePrivacy, type PrivacyOptions } from './clauses/6.3.9-privacy/evaluate.js';
export { membershipAttack, type MembershipAttackResult } from './clauses/6.3.9-privacy/mia.js';
export { judgeClaim, verdictFromClaims } from './clauses/judge.js';
export { saveClauseEvaluation, writeClauseResult, tableFromRows, type ClauseEvaluation, type ClauseFigure } from './clauses/clause.js';
export { showClauseEvaluation, showVerdict } from './clauses/show.js';
export {
  sampleScores,
  showWorstSamples,
  scoresFrame,
  measurementsFrame,
  type SampleScores,
  type SampleScoreOptions,
} from './clauses/common/explore.js';

// Training (6.3.1, 6.3.3)
export { Trainer, type TrainerOptions, type TrainingData, type TrainingHistory } from './training/trainer.js';
export { planTraining, type TrainingPlan } from './training/plan.js';
export { analyzeConvergence, type ConvergenceAnalysis } from './training/convergence.js';
export { parseOnnx, exportFineTuned } from './training/parsed-model.js';
export { runProviderTraining } from './training/provider.js';

// Notebooks, report, evidence, the main job
export { executeNotebook, type ExecuteOptions, type ExecuteResult } from './notebook/executor.js';
export { readNotebook, writeNotebook, type Notebook } from './notebook/nbformat.js';
export { validateNotebook } from './notebook/schema.js';
export { renderReport, type RenderReportOptions } from './report/render.js';
export { buildManifest, writeManifest, type BundleManifest } from './evidence/manifest.js';
export { verifyBundle, type VerifyOptions, type VerifyResult } from './evidence/verify.js';
export { runEvidence, type RunOptions, type RunSummary } from './run/run.js';
export { rerunBundle, type RerunOptions, type RerunResult } from './run/rerun.js';
export { compareClauseResults, type ClauseComparison } from './evidence/compare.js';
