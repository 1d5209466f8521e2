/**
 * Greyscale DICOM images (CT, MR) through dicom-parser, with the modality LUT applied:
 * `value = stored × RescaleSlope + RescaleIntercept` (Hounsfield units for CT).
 * Reference: DICOM PS3.3 C.7.6.3 (Image Pixel module), C.11.1 (Modality LUT module).
 */
import { readFileSync } from 'node:fs';
import * as dicomParser from 'dicom-parser';
import { InputError } from '../util/errors.js';

/** A decoded DICOM image. */
export interface DicomImage {
  /** Rescaled values (HU for CT), rows×columns, C order. */
  data: Float32Array;
  /** `[rows, columns]`. */
  shape: [number, number];
  rows: number;
  columns: number;
  /** RescaleSlope (0028,1053) applied (1 when absent). */
  slope: number;
  /** RescaleIntercept (0028,1052) applied (0 when absent). */
  intercept: number;
  /** Modality (0008,0060), e.g. `CT`, `MR` (empty when absent). */
  modality: string;
  /** PhotometricInterpretation (0028,0004). */
  photometric: string;
}

const NATIVE_LE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);

/**
 * Reads a single-frame greyscale DICOM file in an uncompressed little-endian transfer syntax
 * (implicit or explicit VR) with 8 or 16 bits allocated, signed or unsigned, and applies the
 * rescale slope and intercept.
 *
 * @param source a file path or the file's bytes
 * @param name name for error messages when `source` is a buffer
 * @returns values (HU for CT) as Float32Array with rows and columns
 * @throws {InputError} not DICOM, compressed or big-endian transfer syntax, colour images,
 *   multi-frame images, missing pixel data
 * @example
 * const { data, rows, columns } = readDicom('ct/slice_001.dcm');
 */
export function readDicom(source: string | Uint8Array, name?: string): DicomImage {
  const file = typeof source === 'string' ? source : (name ?? '<buffer>');
  let bytes: Uint8Array;
  try {
    bytes = typeof source === 'string' ? readFileSync(source) : source;
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${(e as Error).message}`, { file, remedy: 'check the path', cause: e });
  }
  let ds: dicomParser.DataSet;
  try {
    ds = dicomParser.parseDicom(bytes);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String((e as { exception?: string })?.exception ?? e);
    throw new InputError(`not a readable DICOM file: ${msg}`, {
      file,
      remedy: 'export the image as DICOM Part 10 (uncompressed)',
      cause: e,
    });
  }
  const remedy = 'export uncompressed little-endian greyscale DICOM (e.g. `gdcmconv --raw in.dcm out.dcm`)';
  const ts = ds.string('x00020010') ?? '1.2.840.10008.1.2';
  if (!NATIVE_LE.has(ts))
    throw new InputError(`unsupported transfer syntax ${ts} (compressed or big-endian)`, {
      file,
      field: '(0002,0010) TransferSyntaxUID',
      remedy,
    });
  const rows = ds.uint16('x00280010');
  const columns = ds.uint16('x00280011');
  if (!rows || !columns) throw new InputError('missing Rows/Columns', { file, field: '(0028,0010)/(0028,0011)', remedy });
  const spp = ds.uint16('x00280002') ?? 1;
  if (spp !== 1)
    throw new InputError(`colour image (SamplesPerPixel ${spp}); only greyscale CT/MR is supported`, {
      file,
      field: '(0028,0002) SamplesPerPixel',
      remedy,
    });
  const frames = Number(ds.string('x00280008') ?? '1');
  if (frames > 1)
    throw new InputError(`multi-frame image (${frames} frames)`, {
      file,
      field: '(0028,0008) NumberOfFrames',
      remedy: 'split into single-frame files',
    });
  const bits = ds.uint16('x00280100') ?? 16;
  const signed = (ds.uint16('x00280103') ?? 0) === 1;
  const el = ds.elements['x7fe00010'];
  if (!el) throw new InputError('no pixel data', { file, field: '(7FE0,0010) PixelData', remedy });
  if (el.encapsulatedPixelData)
    throw new InputError('encapsulated (compressed) pixel data', { file, field: '(7FE0,0010) PixelData', remedy });
  const n = rows * columns;
  if (bits !== 8 && bits !== 16)
    throw new InputError(`BitsAllocated ${bits} not supported (8 or 16)`, { file, field: '(0028,0100) BitsAllocated', remedy });
  if (el.length < n * (bits / 8))
    throw new InputError(`pixel data holds ${el.length} bytes, ${rows}×${columns}×${bits / 8} needed`, {
      file,
      field: '(7FE0,0010) PixelData',
      remedy,
    });
  const slope = ds.floatString('x00281053') ?? 1;
  const intercept = ds.floatString('x00281052') ?? 0;
  const dv = new DataView(bytes.buffer, bytes.byteOffset + el.dataOffset, n * (bits / 8));
  const out = new Float32Array(n);
  if (bits === 16) {
    for (let i = 0; i < n; i++) out[i] = (signed ? dv.getInt16(2 * i, true) : dv.getUint16(2 * i, true)) * slope + intercept;
  } else {
    for (let i = 0; i < n; i++) out[i] = (signed ? dv.getInt8(i) : dv.getUint8(i)) * slope + intercept;
  }
  return {
    data: out,
    shape: [rows, columns],
    rows,
    columns,
    slope,
    intercept,
    modality: ds.string('x00080060') ?? '',
    photometric: ds.string('x00280004') ?? '',
  };
}
