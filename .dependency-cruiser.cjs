/**
 * The import direction of src/ (DESIGN.md, "Layout"): a folder may import only from the layers below its
 * own, never from its own layer's other folders, and no file cycle is allowed. `npm run lint:deps` runs it;
 * test/architecture.test.ts runs the same rules inside `npm test`.
 */
const LAYERS = [
  ['results'], // the ClauseResult contract: types and the clause registry, imports nothing
  ['util'], // errors, files, schemas, random numbers, environment
  ['onnx', 'jupyter'], // the one ONNX reader; the Jupyter wire format, connection files, kernelspecs, nbformat types
  ['kernel'],
  ['data', 'model', 'evidence', 'figures'],
  ['metrics', 'display'],
  ['training'],
  ['case'],
  ['clauses', 'notebook', 'report'],
  ['run'],
  ['cli'],
];

const rules = [
  { name: 'no-circular', severity: 'error', comment: 'no file cycle in src/', from: { path: '^src/' }, to: { circular: true } },
];
LAYERS.forEach((layer, i) => {
  const above = LAYERS.slice(i + 1).flat();
  for (const folder of layer) {
    const forbidden = [...above, ...layer.filter((f) => f !== folder)];
    if (!forbidden.length) continue;
    rules.push({
      name: `layer-${folder}`,
      severity: 'error',
      comment: `src/${folder}/ may import only from the layers below it`,
      from: { path: `^src/${folder}/` },
      to: { path: `^src/(${forbidden.join('|')})/` },
    });
  }
});
rules.push({
  name: 'unknown-folder',
  severity: 'error',
  comment: 'every folder of src/ belongs to a layer of .dependency-cruiser.cjs',
  from: { path: '^src/[^/]+/', pathNot: `^src/(${LAYERS.flat().join('|')})/` },
  to: {},
});

module.exports = {
  forbidden: rules,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
