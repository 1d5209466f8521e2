import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { inspectModel } from '../../../src/model/inspect.js';
import { packageRoot } from '../../../src/util/package-root.js';

/**
 * 6.3.4 acceptance: the MACs of the bundled CT U-Net (examples/ct-body-segmentation/ctlib.py, base
 * width b = 8, input 1×1×64×64) agree with a hand count.
 *
 * Conv 3×3 (pad 1): H·W·C_out·C_in·9. ConvTranspose 2×2 stride 2: input elements (H·W·C_in) × C_out × 4.
 *   enc1  64×64: 4096·8·1·9 + 4096·8·8·9                      =  2,654,208
 *   enc2  32×32: 1024·16·8·9 + 1024·16·16·9                   =  3,538,944
 *   enc3  16×16: 256·32·16·9 + 256·32·32·9                    =  3,538,944
 *   bottleneck 8×8: 64·64·32·9 + 64·64·64·9                   =  3,538,944
 *   up3   8·8·64 · 32 · 4                                      =    524,288
 *   dec3  16×16: 256·32·64·9 + 256·32·32·9                    =  7,077,888
 *   up2   16·16·32 · 16 · 4                                    =    524,288
 *   dec2  32×32: 1024·16·32·9 + 1024·16·16·9                  =  7,077,888
 *   up1   32·32·16 · 8 · 4                                     =    524,288
 *   dec1  64×64: 4096·8·16·9 + 4096·8·8·9                     =  7,077,888
 *   out   1×1: 4096·1·8                                        =     32,768
 *   total                                                      = 36,110,336
 * BatchNormalization is folded into the convolutions by torch's ONNX export (eval mode), so it adds
 * no nodes; MaxPool, ReLU and Concat are not multiply-accumulates.
 */
describe('6.3.4: MACs of the bundled CT U-Net (hand count)', () => {
  it('inspectModel counts 36,110,336 MACs at 1×1×64×64', async () => {
    const info = await inspectModel(join(packageRoot(), 'examples/ct-body-segmentation/model.onnx'), {
      inputShapes: { input: [1, 1, 64, 64] },
    });
    const hand = 2654208 + 3 * 3538944 + 3 * 524288 + 3 * 7077888 + 32768;
    assert.equal(hand, 36110336);
    assert.equal(info.opTypes.BatchNormalization, undefined);
    assert.equal(info.opTypes.Conv, 15);
    assert.equal(info.opTypes.ConvTranspose, 3);
    assert.equal(info.macs, hand);
    assert.equal(info.macsComplete, true);
  });
});
