import { describe, expect, it } from 'vitest';
import { Generator } from '@backprop/tensor';
import {
  ConvTranspose1d, Dropout2d, Embedding, GroupNorm, Hardswish, InstanceNorm1d, InstanceNorm2d, LearnedPositionalEmbedding, Linear, Mish, MultiheadAttention,
  PReLU, SELU, Sequential, SiLU, SinusoidalPositionalEmbedding, Softsign, TransformerEncoder, TransformerEncoderLayer, Unflatten, type Module,
} from '@backprop/layers';
import { expectOrtMatches } from './helpers.js';

const generator = () => new Generator(7);

describe('the newer layers match onnxruntime', () => {
  it.each([
    ['SiLU', () => new SiLU(), [3, 5], 17],
    ['Mish before opset 18 (Softplus, Tanh)', () => new Mish(), [3, 5], 17],
    ['Mish as one op from opset 18', () => new Mish(), [3, 5], 18],
    ['Hardswish', () => new Hardswish(), [3, 5], 17],
    ['Softsign', () => new Softsign(), [3, 5], 17],
    ['SELU', () => new SELU(), [3, 5], 17],
    ['PReLU shared', () => new PReLU(), [3, 5], 17],
    ['PReLU per channel', () => new PReLU(3, { init: 0.1 }), [2, 3, 4, 4], 17],
    ['Dropout2d', () => new Dropout2d(0.3), [2, 3, 4, 4], 17],
    ['GroupNorm', () => new GroupNorm(2, 4), [2, 4, 3, 3], 17],
    ['InstanceNorm1d', () => new InstanceNorm1d(3, { affine: true }), [2, 3, 6], 17],
    
    ['InstanceNorm2d with running statistics', () => new InstanceNorm2d(2, { trackRunningStats: true }), [2, 2, 3, 3], 17],
    ['ConvTranspose1d', () => new ConvTranspose1d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1, generator: generator() }), [2, 3, 5], 17],
    ['Unflatten', () => new Unflatten(1, [2, -1]), [3, 6], 17],
  ] as [string, () => Module, number[], number][])('%s', async (_name, make, inputShape, opset) => {
    const layer = make();
    if (layer instanceof InstanceNorm2d && layer.trackRunningStats) {
      layer.train();
      for (let i = 0; i < 3; i++) layer.call((await import('@backprop/tensor')).randn([4, 2, 3, 3], { generator: generator() }).add(i));
    }
    await expectOrtMatches(layer, { inputShape, opset });
  });

  it('InstanceNorm2d on an unbatched input', async () => {
    await expectOrtMatches(new InstanceNorm2d(3), { inputShape: [3, 4, 4], dynamicBatch: false, batches: [3] });
  });

  it('MultiheadAttention (self-attention via MatMul/Softmax), batch-first and sequence-first', async () => {
    await expectOrtMatches(new MultiheadAttention(8, 2, { batchFirst: true, generator: generator() }) as unknown as Module, { inputShape: [2, 5, 8] });
    await expectOrtMatches(new MultiheadAttention(6, 3, { generator: generator() }) as unknown as Module, { inputShape: [4, 2, 6], batches: [4] });
  });

  it('a GPT-style stack: Embedding, positions, a 2-layer TransformerEncoder (post-norm relu and pre-norm gelu), Linear', async () => {
    for (const [normFirst, activation] of [[false, 'relu'], [true, 'gelu']] as const) {
      const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true, normFirst, activation, generator: generator() });
      const model = new Sequential(
        new Embedding(12, 8, { generator: generator() }) as Module,
        new LearnedPositionalEmbedding(10, 8, { batchFirst: true, generator: generator() }),
        new TransformerEncoder(layer, 2) as unknown as Module,
        new Linear(8, 12, { generator: generator() }),
      );
      await expectOrtMatches(model, { inputShape: [2, 6], inputDtype: 'int32', vocab: 12, atol: 1e-4, rtol: 1e-4 });
    }
  });

  it('SinusoidalPositionalEmbedding, sequence-first, reads any length', async () => {
    await expectOrtMatches(new SinusoidalPositionalEmbedding(6, { maxLen: 20 }), { inputShape: [5, 2, 6] });
  });
});

describe('layers an exported graph cannot hold', () => {
  it('say why, naming the layer', async () => {
    const { Bilinear, ModuleList, Transformer } = await import('@backprop/layers');
    const { exportOnnx } = await import('../src/index.js');
    expect(() => exportOnnx(new Bilinear(2, 2, 1) as unknown as Module, { inputShape: [1, 2] })).toThrow(/Bilinear at the model itself: reads two inputs/);
    expect(() => exportOnnx(new ModuleList([]) as unknown as Module, { inputShape: [1, 2] })).toThrow(/ModuleList/);
    const t = new Transformer({ dModel: 4, nhead: 1, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 4 });
    expect(() => exportOnnx(t as unknown as Module, { inputShape: [1, 2, 4] })).toThrow(/Transformer at the model itself: reads a source and a target/);
  });
});
