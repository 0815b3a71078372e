import { describe, expect, it } from 'vitest';
import { Generator, copy_, rand, randn } from '@backprop/tensor';
import {
  AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, AvgPool1d, AvgPool2d, BatchNorm1d, BatchNorm2d, Conv1d, Conv2d, ConvTranspose2d, Dropout, LayerNorm, MaxPool1d, MaxPool2d, Upsample, type BatchNorm,
} from '@backprop/layers';
import { expectOrtMatches } from './helpers.js';

const generator = () => new Generator(11);

/** Running statistics away from 0 and 1, so that the test sees whether they are used. */
function withStats<T extends BatchNorm>(bn: T): T {
  const g = new Generator(3);
  copy_(bn.runningMean!, randn([bn.numFeatures], { generator: g }));
  copy_(bn.runningVar!, rand([bn.numFeatures], { generator: g }).add(0.5));
  if (bn.weight) copy_(bn.weight, randn([bn.numFeatures], { generator: g }));
  if (bn.bias) copy_(bn.bias, randn([bn.numFeatures], { generator: g }));
  return bn;
}

describe('convolution, pooling and normalization layers match onnxruntime', () => {
  it('Conv2d: padding, stride, dilation, groups, no bias, same/valid, unbatched input', async () => {
    await expectOrtMatches(new Conv2d(3, 4, 3, { generator: generator() }), { inputShape: [2, 3, 8, 8] });
    await expectOrtMatches(new Conv2d(4, 6, [3, 2], { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2, bias: false, generator: generator() }), { inputShape: [2, 4, 9, 7] });
    await expectOrtMatches(new Conv2d(2, 3, 4, { padding: 'same', dilation: 1, generator: generator() }), { inputShape: [1, 2, 6, 5] });
    await expectOrtMatches(new Conv2d(2, 3, 3, { padding: 'valid', generator: generator() }), { inputShape: [1, 2, 6, 5] });
    await expectOrtMatches(new Conv2d(2, 3, 3, { padding: 1, generator: generator() }), { inputShape: [2, 5, 5], batches: [2], dynamicBatch: false });
  });

  it('Conv1d, including padding same with an even kernel', async () => {
    await expectOrtMatches(new Conv1d(3, 5, 3, { stride: 2, padding: 1, generator: generator() }), { inputShape: [2, 3, 11] });
    await expectOrtMatches(new Conv1d(3, 5, 4, { padding: 'same', dilation: 2, generator: generator() }), { inputShape: [2, 3, 11] });
  });

  it('ConvTranspose2d: stride, padding, output padding, dilation, groups', async () => {
    await expectOrtMatches(new ConvTranspose2d(4, 2, 4, { stride: 2, padding: 1, generator: generator() }), { inputShape: [2, 4, 5, 5] });
    await expectOrtMatches(new ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, dilation: 1, groups: 2, bias: false, generator: generator() }), { inputShape: [1, 4, 4, 3] });
    await expectOrtMatches(new ConvTranspose2d(2, 2, 3, { dilation: 2, generator: generator() }), { inputShape: [1, 2, 4, 4] });
  });

  it('MaxPool2d and MaxPool1d: stride, padding, dilation, ceil mode', async () => {
    await expectOrtMatches(new MaxPool2d(2), { inputShape: [2, 3, 8, 8] });
    await expectOrtMatches(new MaxPool2d(3, { stride: 2, padding: 1 }), { inputShape: [2, 3, 7, 8] });
    await expectOrtMatches(new MaxPool2d(2, { stride: 2, ceilMode: true }), { inputShape: [1, 2, 7, 5] });
    await expectOrtMatches(new MaxPool2d([3, 2], { dilation: [1, 2], stride: 1 }), { inputShape: [1, 2, 7, 7] });
    await expectOrtMatches(new MaxPool1d(3, { stride: 2, padding: 1 }), { inputShape: [2, 3, 10] });
  });

  it('AvgPool2d: padding counted or not, ceil mode, divisor override', async () => {
    await expectOrtMatches(new AvgPool2d(2), { inputShape: [2, 3, 8, 8] });
    await expectOrtMatches(new AvgPool2d(3, { stride: 2, padding: 1 }), { inputShape: [2, 3, 7, 8] });
    await expectOrtMatches(new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }), { inputShape: [2, 3, 7, 8] });
    await expectOrtMatches(new AvgPool2d(2, { ceilMode: true }), { inputShape: [1, 2, 7, 5] });
    await expectOrtMatches(new AvgPool2d(2, { divisorOverride: 3, padding: 1 }), { inputShape: [1, 2, 6, 6] });
  });

  it('AvgPool1d, and AdaptiveMaxPool1d/2d: global (GlobalMaxPool) and evenly dividing sizes', async () => {
    await expectOrtMatches(new AvgPool1d(3, { stride: 2, padding: 1 }), { inputShape: [2, 3, 9] });
    await expectOrtMatches(new AvgPool1d(2, { countIncludePad: false, padding: 1 }), { inputShape: [2, 3, 8] });
    await expectOrtMatches(new AdaptiveMaxPool1d(1), { inputShape: [2, 3, 7] });
    await expectOrtMatches(new AdaptiveMaxPool1d(3), { inputShape: [2, 3, 9] });
    await expectOrtMatches(new AdaptiveMaxPool2d(1), { inputShape: [2, 4, 5, 7] });
    await expectOrtMatches(new AdaptiveMaxPool2d([2, null]), { inputShape: [2, 4, 6, 3] });
  });

  it('AdaptiveAvgPool2d: global (GlobalAveragePool) and evenly dividing sizes', async () => {
    await expectOrtMatches(new AdaptiveAvgPool2d(1), { inputShape: [2, 4, 5, 7] });
    await expectOrtMatches(new AdaptiveAvgPool2d([2, null]), { inputShape: [2, 4, 6, 3] });
  });

  it('BatchNorm2d and BatchNorm1d in eval mode use the running statistics', async () => {
    await expectOrtMatches(withStats(new BatchNorm2d(3, { eps: 1e-3 })), { inputShape: [2, 3, 4, 5] });
    await expectOrtMatches(withStats(new BatchNorm2d(3, { affine: false })), { inputShape: [2, 3, 4, 5] });
    await expectOrtMatches(withStats(new BatchNorm1d(5)), { inputShape: [4, 5] });
    await expectOrtMatches(withStats(new BatchNorm1d(5)), { inputShape: [4, 5, 6] });
  });

  it('LayerNorm as LayerNormalization (opset 17) and as its formula (opset 13)', async () => {
    for (const opset of [13, 17, 18]) {
      await expectOrtMatches(new LayerNorm(6), { inputShape: [3, 6], opset });
      await expectOrtMatches(new LayerNorm([4, 5], { elementwiseAffine: false, eps: 1e-3 }), { inputShape: [2, 3, 4, 5], opset });
    }
  });

  it('Dropout is the identity in inference', async () => {
    await expectOrtMatches(new Dropout(0.5), { inputShape: [3, 7] });
  });

  it('Upsample (nearest) by a scale factor and to a size', async () => {
    await expectOrtMatches(new Upsample({ scaleFactor: 2 }), { inputShape: [2, 3, 4, 5] });
    await expectOrtMatches(new Upsample({ scaleFactor: [1.5, 3] }), { inputShape: [2, 3, 4, 5] });
    await expectOrtMatches(new Upsample({ size: [7, 10] }), { inputShape: [2, 3, 3, 4] });
  });
});

describe('layer options ONNX cannot express are refused with the layer named', () => {
  it('AdaptiveAvgPool2d with uneven windows, AvgPool2d divisorOverride with ceilMode, BatchNorm without running stats', async () => {
    const { exportOnnx } = await import('../src/index.js');
    const { Sequential } = await import('@backprop/layers');
    expect(() => exportOnnx(new Sequential(new AdaptiveAvgPool2d(3)), { inputShape: [1, 2, 7, 7] })).toThrow(
      'exportOnnx: AdaptiveAvgPool2d at "0" in the model: output size [3, 3] does not divide the input size [7, 7]',
    );
    expect(() => exportOnnx(new AvgPool2d(2, { ceilMode: true, divisorOverride: 3 }), { inputShape: [1, 2, 5, 5] })).toThrow(/AvgPool2d at the model itself: divisorOverride with ceilMode/);
    expect(() => exportOnnx(new BatchNorm2d(2, { trackRunningStats: false }), { inputShape: [2, 2, 3, 3] })).toThrow(/BatchNorm2d at the model itself: trackRunningStats is false/);
  });

  it('an unbatched input with dynamicBatch says to turn it off', async () => {
    const { exportOnnx } = await import('../src/index.js');
    expect(() => exportOnnx(new Conv2d(2, 3, 3), { inputShape: [2, 5, 5] })).toThrow(/if dimension 0 is not a batch dimension \(an unbatched input\), pass dynamicBatch: false/);
  });
});
