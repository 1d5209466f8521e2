/**
 * CT-specific corruptions in HU: ring and streak artefacts and dose-reduction noise. Simple image-space
 * models (documented), not a reconstruction simulation: rings are concentric bands about the image
 * centre (detector-element miscalibration), streaks are lines through a seeded point (photon
 * starvation / metal), dose reduction adds noise whose σ grows as √(1/dose − 1) times the full-dose σ.
 */
import { forEachPlane } from './image-ops.js';
import type { Corruption } from './types.js';

export const ringArtefact: Corruption = {
  name: 'ring-artefact',
  title: { zh: '环状伪影', en: 'Ring artefacts' },
  modalities: ['ct'],
  params: [
    { rings: 2, amplitudeHU: 20 },
    { rings: 3, amplitudeHU: 40 },
    { rings: 4, amplitudeHU: 80 },
    { rings: 5, amplitudeHU: 120 },
    { rings: 6, amplitudeHU: 200 },
  ],
  apply(x, s, p, rng) {
    const out = Float32Array.from(x);
    forEachPlane(s, (o, h, w) => {
      const cy = (h - 1) / 2;
      const cx = (w - 1) / 2;
      const rmax = Math.min(h, w) / 2;
      for (let k = 0; k < p.rings!; k++) {
        const r0 = 2 + rng.uniform() * (rmax - 2);
        const a = (rng.uniform() < 0.5 ? -1 : 1) * p.amplitudeHU!;
        for (let i = 0; i < h; i++)
          for (let j = 0; j < w; j++) {
            const d = Math.abs(Math.hypot(i - cy, j - cx) - r0);
            if (d < 1) out[o + i * w + j]! += a * (1 - d);
          }
      }
    });
    return out;
  },
};

export const streakArtefact: Corruption = {
  name: 'streak-artefact',
  title: { zh: '条纹伪影', en: 'Streak artefacts' },
  modalities: ['ct'],
  params: [
    { streaks: 2, amplitudeHU: 50 },
    { streaks: 4, amplitudeHU: 80 },
    { streaks: 6, amplitudeHU: 120 },
    { streaks: 8, amplitudeHU: 180 },
    { streaks: 12, amplitudeHU: 250 },
  ],
  apply(x, s, p, rng) {
    const out = Float32Array.from(x);
    forEachPlane(s, (o, h, w) => {
      const py = h * (0.3 + 0.4 * rng.uniform());
      const px = w * (0.3 + 0.4 * rng.uniform());
      for (let k = 0; k < p.streaks!; k++) {
        const th = rng.uniform() * Math.PI;
        const a = (k % 2 ? -1 : 1) * p.amplitudeHU!;
        const nx = -Math.sin(th);
        const ny = Math.cos(th);
        for (let i = 0; i < h; i++)
          for (let j = 0; j < w; j++) {
            const d = Math.abs((j - px) * nx + (i - py) * ny);
            if (d < 0.75) out[o + i * w + j]! += a * (1 - d / 0.75);
          }
      }
    });
    return out;
  },
};

export const doseReduction: Corruption = {
  name: 'dose-reduction',
  title: { zh: '降低剂量噪声', en: 'Dose-reduction noise' },
  modalities: ['ct'],
  // σ_added = σ_full · √(1/dose − 1), σ_full = 12 HU (a typical full-dose soft-tissue noise level)
  params: [
    { dose: 0.5, fullDoseSigmaHU: 12 },
    { dose: 0.25, fullDoseSigmaHU: 12 },
    { dose: 0.1, fullDoseSigmaHU: 12 },
    { dose: 0.05, fullDoseSigmaHU: 12 },
    { dose: 0.02, fullDoseSigmaHU: 12 },
  ],
  apply(x, _s, p, rng) {
    const sd = p.fullDoseSigmaHU! * Math.sqrt(1 / p.dose! - 1);
    // noise only inside the patient (HU > -900): air stays air as on a real scanner
    return x.map((v) => (v > -900 ? v + sd * rng.normal() : v));
  },
};
