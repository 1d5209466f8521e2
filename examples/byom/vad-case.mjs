// Case data for Silero VAD v4: 16 kHz streams of 1536-sample chunks (96 ms), speech synthesised with espeak-ng
// between stretches of silence or noise; each chunk is labelled from the synthesis' own energy envelope.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng, writeCsv, writeNpy } from './lib.mjs';

export const CHUNK = 1536;
const RATE = 16000;
const SENTENCES = {
  en: [
    'the scan is ready for review',
    'please hold your breath now',
    'the patient is resting in bed four',
    'dose recorded at twelve thirty',
    'check the infusion pump settings',
    'the report was signed this morning',
    'move the table two centimetres up',
    'no abnormal findings were seen',
  ],
  cmn: ['请保持不动', '检查已经完成', '患者在四号床休息', '请深呼吸', '报告已经签字', '设备运行正常', '请把手臂抬高', '下午三点复查'],
};
const VOICES = { male: '', female: '+f3', whisper: '+whisper' };

/** espeak-ng's version line (recorded in the data notes). */
export function espeakVersion() {
  return execFileSync('espeak-ng', ['--version'], { encoding: 'utf8' }).trim();
}

/** One utterance from espeak-ng at 16 kHz, peak-normalised to `peak`. */
function speak(text, lang, voice, rate, peak, tmp) {
  const wav = join(tmp, 'u.wav');
  execFileSync('espeak-ng', ['-v', `${lang}${VOICES[voice]}`, '-s', String(rate), '-w', wav, text]);
  const buf = readFileSync(wav);
  let off = 12;
  let sr = 22050;
  let data;
  while (off < buf.length) {
    const id = buf.toString('latin1', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') sr = buf.readUInt32LE(off + 12);
    if (id === 'data') data = buf.subarray(off + 8, off + 8 + size);
    off += 8 + size;
  }
  const n = Math.floor(data.length / 2);
  const src = new Float32Array(n);
  for (let i = 0; i < n; i++) src[i] = data.readInt16LE(i * 2) / 32768;
  const m = Math.floor((n * RATE) / sr);
  const out = new Float32Array(m);
  let max = 1e-9;
  for (let i = 0; i < m; i++) {
    const t = (i * sr) / RATE;
    const j = Math.floor(t);
    const f = t - j;
    out[i] = (src[j] ?? 0) * (1 - f) + (src[j + 1] ?? 0) * f;
    max = Math.max(max, Math.abs(out[i]));
  }
  for (let i = 0; i < m; i++) out[i] *= peak / max;
  return out;
}

/**
 * A labelled stream of `chunks` chunks: gaps of 0.3–1.2 s, then an utterance, repeated. `noise` is the σ of the
 * added white noise. Labels: a chunk is speech when at least half of its 10 ms frames carry speech energy
 * (RMS of the clean synthesis > 0.02).
 */
function stream(rnd, chunks, { noise, voices, tmp }) {
  const total = chunks * CHUNK;
  const clean = new Float32Array(total);
  const meta = [];
  let pos = 0;
  while (pos < total) {
    pos += Math.round((0.3 + 0.9 * rnd()) * RATE);
    const lang = rnd() < 0.5 ? 'en' : 'cmn';
    const voice = rnd.pick(voices);
    const u = speak(rnd.pick(SENTENCES[lang]), lang, voice, 140 + rnd.int(40), 0.3 + 0.4 * rnd(), tmp);
    for (let i = 0; i < u.length && pos + i < total; i++) clean[pos + i] = u[i];
    meta.push({ from: pos, to: pos + u.length, lang, voice });
    pos += u.length;
  }
  const rows = [];
  const x = new Float32Array(total);
  for (let i = 0; i < total; i++) x[i] = clean[i] + noise * rnd.normal();
  for (let c = 0; c < chunks; c++) {
    let voiced = 0;
    for (let f = 0; f < CHUNK / 160; f++) {
      let e = 0;
      for (let i = 0; i < 160; i++) e += clean[c * CHUNK + f * 160 + i] ** 2;
      if (Math.sqrt(e / 160) > 0.02) voiced++;
    }
    const mid = c * CHUNK + CHUNK / 2;
    const u = meta.find((m) => m.from <= mid + CHUNK && m.to >= mid - CHUNK) ?? { lang: 'none', voice: 'none' };
    rows.push({
      label: voiced * 2 >= CHUNK / 160 ? 'speech' : 'non-speech',
      lang: u.lang,
      voice: u.voice,
      data: x.subarray(c * CHUNK, (c + 1) * CHUNK),
    });
  }
  return rows;
}

/** Non-speech signals (OOD: tones, chords, clicks) and wrong inputs (invalid: DC, full-scale square, clipped noise). */
function otherChunk(rnd, kind) {
  const x = new Float32Array(CHUNK);
  const f0 = 200 + rnd.int(1800);
  for (let i = 0; i < CHUNK; i++) {
    const t = i / RATE;
    if (kind === 'tone') x[i] = 0.4 * Math.sin(2 * Math.PI * f0 * t);
    else if (kind === 'chord')
      x[i] = 0.2 * (Math.sin(2 * Math.PI * f0 * t) + Math.sin(2 * Math.PI * f0 * 1.26 * t) + Math.sin(2 * Math.PI * f0 * 1.5 * t));
    else if (kind === 'clicks') x[i] = i % (200 + (f0 % 300)) < 8 ? 0.8 : 0.01 * rnd.normal();
    else if (kind === 'dc') x[i] = 0.9;
    else if (kind === 'square') x[i] = Math.sin(2 * Math.PI * 50 * t) >= 0 ? 1 : -1;
    else x[i] = Math.max(-1, Math.min(1, 3 * rnd.normal()));
  }
  return x;
}

/** Writes the VAD data sets under `dir/data`. */
export function buildVadData(dir, scale, seed = 3) {
  const rnd = prng(seed);
  const tmp = mkdtempSync(join(tmpdir(), 'ptmc-byom-vad-'));
  try {
    const counts = { train: 240, validation: 80, test: 240, downstreamTrain: 120, downstreamTest: 120, ood: 40, invalid: 18, hard: 120 };
    const n = (r) => Math.max(24, Math.round(counts[r] * scale));
    const labelled = (role, opts, kind) => {
      const rows = stream(rnd, n(role), { ...opts, tmp }).map((r, i) => {
        const id = `${role}_${String(i).padStart(4, '0')}`;
        writeNpy(`${dir}/data/${role}/${id}.npy`, r.data, [CHUNK]);
        return { id, input: `${id}.npy`, label: r.label, lang: r.lang, voice: r.voice, kind };
      });
      writeCsv(`${dir}/data/${role}/manifest.csv`, rows);
    };
    labelled('train', { noise: 0.002, voices: ['male', 'female'] }, 'quiet');
    labelled('validation', { noise: 0.002, voices: ['male', 'female'] }, 'quiet');
    labelled('test', { noise: 0.002, voices: ['male', 'female'] }, 'quiet');
    labelled('downstreamTrain', { noise: 0.03, voices: ['male', 'female'] }, 'noisy');
    labelled('downstreamTest', { noise: 0.03, voices: ['male', 'female'] }, 'noisy');
    labelled('hard', { noise: 0.08, voices: ['whisper', 'female'] }, 'low-snr');
    const unlabelled = (role, kinds) => {
      const rows = [];
      for (let i = 0; i < n(role); i++) {
        const kind = kinds[i % kinds.length];
        const id = `${role}_${String(i).padStart(4, '0')}`;
        writeNpy(`${dir}/data/${role}/${id}.npy`, otherChunk(rnd, kind), [CHUNK]);
        rows.push({ id, input: `${id}.npy`, kind });
      }
      writeCsv(`${dir}/data/${role}/manifest.csv`, rows);
    };
    unlabelled('ood', ['tone', 'chord', 'clicks']);
    unlabelled('invalid', ['dc', 'square', 'clipped-noise']);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
