import { describe, expect, it } from 'vitest';
import { Generator, copy_, rand, randn, type Tensor } from '@backprop/tensor';
import {
  AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Dropout, Embedding, Flatten, GELU, LSTM, LeakyReLU, Linear, LogSoftmax, MaxPool2d, Maxout, Module, ReLU, Residual,
  Sequential, Softmax, Tanh, type LayerConfig,
} from '@backprop/layers';
import { MAX_OPSET, MIN_OPSET, attr, decodeOnnx, registerOnnxExporter } from '../src/index.js';
import { expectOrtMatches } from './helpers.js';

function mlp(generator: Generator): Sequential {
  return new Sequential(new Linear(64, 32, { generator }), new ReLU(), new Linear(32, 16, { generator }), new Tanh(), new Linear(16, 10, { generator }), new LogSoftmax(-1));
}

function residualMlp(generator: Generator): Sequential {
  const block = () => new Residual(new Sequential(new Linear(24, 24, { generator }), new GELU(), new Linear(24, 24, { generator })));
  return new Sequential(new Linear(12, 24, { generator }), new LeakyReLU(0.05), block(), block(), new Linear(24, 3, { generator }), new Softmax(1));
}

describe('whole models match onnxruntime', () => {
  it('an MLP classifier (digits-sized), at batch 1 and 5', async () => {
    const model = mlp(new Generator(1));
    const bytes = await expectOrtMatches(model, { inputShape: [1, 64], batches: [1, 5] });
    expect(decodeOnnx(bytes).graph.node.map((n) => n.opType)).toEqual(['Gemm', 'Relu', 'Gemm', 'Tanh', 'Gemm', 'LogSoftmax']);
  });

  it('a residual MLP with nested Sequentials', async () => {
    await expectOrtMatches(residualMlp(new Generator(2)), { inputShape: [4, 12], batches: [4, 9] });
  });

  it('a Maxout network', async () => {
    const generator = new Generator(3);
    const model = new Sequential(new Maxout(8, 16, 4, { generator }), new Maxout(16, 8, 2, { generator }), new Linear(8, 2, { generator }));
    await expectOrtMatches(model, { inputShape: [2, 8], batches: [2, 6] });
  });

  it(`the same MLP for every supported opset (${MIN_OPSET}–${MAX_OPSET})`, async () => {
    const model = residualMlp(new Generator(4));
    for (let opset = MIN_OPSET; opset <= MAX_OPSET; opset++) {
      const bytes = await expectOrtMatches(model, { inputShape: [2, 12], batches: [3], opset });
      expect(decodeOnnx(bytes).opsetImport).toEqual([{ domain: '', version: opset }]);
    }
  });
});

/** LeNet-5 (LeCun et al., 1998) on 28×28 digits, with PyTorch's usual padding of the first convolution. */
function leNet5(generator: Generator): Sequential {
  return new Sequential(
    new Conv2d(1, 6, 5, { padding: 2, generator }), new Tanh(), new AvgPool2d(2),
    new Conv2d(6, 16, 5, { generator }), new Tanh(), new AvgPool2d(2),
    new Flatten(), new Linear(400, 120, { generator }), new Tanh(), new Linear(120, 84, { generator }), new Tanh(),
    new Dropout(0.5), new Linear(84, 10, { generator }), new LogSoftmax(1),
  );
}

/** Batch norm with running statistics away from 0 and 1, as after training. */
function trainedBatchNorm(channels: number, generator: Generator): BatchNorm2d {
  const bn = new BatchNorm2d(channels);
  copy_(bn.runningMean!, randn([channels], { generator }).mul(0.5));
  copy_(bn.runningVar!, rand([channels], { generator }).add(0.5));
  copy_(bn.weight!, rand([channels], { generator }).add(0.5));
  copy_(bn.bias!, randn([channels], { generator }).mul(0.1));
  return bn;
}

/** A ResNet basic block (He et al., 2016): conv-BN-ReLU-conv-BN plus the identity, then ReLU; stem and head around it. */
function resNetBlockModel(generator: Generator): Sequential {
  const c = 8;
  const block = new Residual(new Sequential(
    new Conv2d(c, c, 3, { padding: 1, bias: false, generator }), trainedBatchNorm(c, generator), new ReLU(),
    new Conv2d(c, c, 3, { padding: 1, bias: false, generator }), trainedBatchNorm(c, generator),
  ));
  return new Sequential(
    new Conv2d(3, c, 3, { stride: 2, padding: 1, bias: false, generator }), trainedBatchNorm(c, generator), new ReLU(), new MaxPool2d(3, { stride: 2, padding: 1 }),
    block, new ReLU(), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(c, 5, { generator }),
  );
}

/**
 * Token ids → embedding → LSTM → the last step's hidden output → Linear: a custom module with its own
 * export rule, which is how a model that is not a plain chain of layers is exported.
 */
class LstmClassifier extends Module {
  constructor(generator: Generator) {
    super();
    this.registerModule('embed', new Embedding(20, 6, { generator }));
    this.registerModule('lstm', new LSTM(6, 8, { numLayers: 2, batchFirst: true, generator }));
    this.registerModule('fc', new Linear(8, 3, { generator }));
  }
  forward(tokens: Tensor): Tensor {
    const embedded = (this.getSubmodule('embed') as Embedding).call(tokens);
    const [sequence] = (this.getSubmodule('lstm') as LSTM).call(embedded);
    const last = sequence.narrow(1, sequence.shape[1] - 1, 1).squeeze(1);
    return (this.getSubmodule('fc') as Linear).call(last);
  }
  override toConfig(): LayerConfig {
    return { type: 'LstmClassifier' };
  }
}
registerOnnxExporter('LstmClassifier', (_model, ctx) => {
  const embedded = ctx.exportChild('embed', ctx.input);
  const sequence = ctx.exportChild('lstm', embedded);
  const [last] = ctx.node('Gather', [sequence.name, ctx.int64('last_step', [-1], [])], { axis: attr.int(1) });
  return ctx.exportChild('fc', { name: last, shape: [sequence.shape[0], sequence.shape[2]], dtype: 'float32' });
});

describe('convolutional and recurrent models match onnxruntime', () => {
  it('LeNet-5 on 28×28 images, at batch 1 and 3', async () => {
    const bytes = await expectOrtMatches(leNet5(new Generator(5)), { inputShape: [1, 1, 28, 28], batches: [1, 3] });
    expect(decodeOnnx(bytes).graph.node.map((n) => n.opType)).toEqual([
      'Conv', 'Tanh', 'AveragePool', 'Conv', 'Tanh', 'AveragePool', 'Flatten', 'Gemm', 'Tanh', 'Gemm', 'Tanh', 'Identity', 'Gemm', 'LogSoftmax',
    ]);
  });

  it('a ResNet basic block with batch norm in eval mode', async () => {
    await expectOrtMatches(resNetBlockModel(new Generator(6)), { inputShape: [2, 3, 16, 16], batches: [2, 3] });
  });

  it('an LSTM text classifier on int32 token ids', async () => {
    await expectOrtMatches(new LstmClassifier(new Generator(7)), { inputShape: [2, 9], inputDtype: 'int32', vocab: 20, batches: [2, 5] });
  });
});
