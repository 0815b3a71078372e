import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator, Tensor, oneHot, randn, tensor } from '@backprop/tensor';
import { Linear, Sequential, layerFromConfig, type LayerConfig } from '@backprop/layers';
import { SGD } from '@backprop/optim';
import { describe, expect, it } from 'vitest';
import { OnnxImportError, exportOnnx, importOnnx, listOnnxImporters, registerOnnxImporter } from '../src/index.js';
import { encodeOnnxModel } from '../src/proto/codec.js';

// Files written by torch.onnx.export: tooling/fixtures/onnx/gen_import.py.
const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'import');
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
  models: Record<string, { parameters: string[]; cases: { input: { shape: number[]; values: number[] }; output: { shape: number[]; values: number[] } }[] }>;
};
const file = (name: string) => new Uint8Array(readFileSync(join(dir, `${name}.onnx`)));

function expectClose(actual: Tensor, shape: number[], values: number[], tol = 2e-5): void {
  expect(actual.shape).toEqual(shape);
  actual.toFlatArray().forEach((v, i) => expect(Math.abs(v - values[i]), `element ${i}: ${v} vs ${values[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(values[i]))));
}

describe('importOnnx: files from torch.onnx.export', () => {
  for (const name of Object.keys(expected.models)) {
    it(`${name}: outputs equal torch's for two batch sizes`, () => {
      const model = importOnnx(file(name));
      for (const { input, output } of expected.models[name].cases) {
        const y = model.call(tensor(input.values).reshape(input.shape)) as Tensor;
        expectClose(y, output.shape, output.values);
      }
    });
  }

  it('keeps PyTorch state_dict names for the parameters torch.onnx.export named', () => {
    const names = importOnnx(file('mlp')).stateDict();
    expect([...names.keys()].sort()).toEqual(expected.models.mlp.parameters);
    const resnet = [...importOnnx(file('resnet')).stateDict().keys()];
    expect(resnet).toEqual(expect.arrayContaining(['stem.weight', 'stem.bias', 'fc.weight', 'fc.bias']));
  });

  it('fine-tunes an imported model: the loss falls and the parameters move', () => {
    const model = importOnnx(file('mlp'));
    const g = new Generator(5);
    const x = randn([32, 4], { generator: g });
    // A learnable rule: the class is the largest of the first three features.
    const y = x.narrow(1, 0, 3).argmax(1);
    const opt = new SGD(model.parameters(), { lr: 1, momentum: 0.9 });
    const before = model.stateDict().get('0.weight')!.toFlatArray();
    const target = oneHot(y, 3).astype('float32');
    const lossAt = () => (model.call(x) as Tensor).sub(target).square().mean();
    const first = lossAt().item();
    for (let step = 0; step < 60; step++) {
      opt.zeroGrad();
      const loss = lossAt();
      loss.backward();
      opt.step();
    }
    expect(lossAt().item()).toBeLessThan(first * 0.6);
    expect(model.stateDict().get('0.weight')!.toFlatArray()).not.toEqual(before);
  });
});

describe('importOnnx: backprop → ONNX → backprop', () => {
  const cases: Record<string, { config: LayerConfig; input: number[] }> = {
    mlp: { config: { type: 'Sequential', layers: [{ type: 'Linear', inFeatures: 5, outFeatures: 7 }, { type: 'GELU' }, { type: 'Linear', inFeatures: 7, outFeatures: 2 }, { type: 'Softmax', dim: -1 }] }, input: [3, 5] },
    cnn: {
      config: { type: 'Sequential', layers: [
        { type: 'Conv2d', inChannels: 2, outChannels: 3, kernelSize: 3, padding: 1 }, { type: 'BatchNorm2d', numFeatures: 3 }, { type: 'ReLU' },
        { type: 'MaxPool2d', kernelSize: 2 }, { type: 'Flatten' }, { type: 'Linear', inFeatures: 12, outFeatures: 4 },
      ] },
      input: [2, 2, 4, 4],
    },
    lstm: { config: { type: 'Sequential', layers: [{ type: 'LSTM', inputSize: 3, hiddenSize: 4, batchFirst: true }, { type: 'LastTimeStep', batchFirst: true }, { type: 'Linear', inFeatures: 4, outFeatures: 2 }] }, input: [2, 5, 3] },
  };
  for (const [name, { config, input }] of Object.entries(cases)) {
    it(`${name}: the imported model computes what the original does`, () => {
      const model = layerFromConfig(config, { generator: new Generator(2) });
      model.eval();
      const x = randn(input, { generator: new Generator(9) });
      const imported = importOnnx(exportOnnx(model, { inputShape: input }));
      const want = model.call(x) as Tensor;
      expectClose(imported.call(x) as Tensor, [...want.shape], want.toFlatArray());
    });
  }
});

describe('importOnnx: what it refuses', () => {
  const graphWith = (opType: string) =>
    encodeOnnxModel({
      irVersion: 8, producerName: 'test', opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'g', initializer: [],
        node: [{ name: 'mystery_node', opType, input: ['x'], output: ['y'], attribute: [] }],
        input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 2 }] } } } }],
        output: [{ name: 'y', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 2 }] } } } }],
      },
    } as never);

  it('names an operator without a rule and its node, and takes a plugin rule for it', () => {
    expect(() => importOnnx(graphWith('FancyOp'))).toThrow(OnnxImportError);
    expect(() => importOnnx(graphWith('FancyOp'))).toThrow(/FancyOp node 'mystery_node': operator 'FancyOp' has no import rule; supply one with registerOnnxImporter/);
    registerOnnxImporter('FancyOp', ([x]) => x!.mul(3));
    expect(listOnnxImporters()).toContain('FancyOp');
    expect((importOnnx(graphWith('FancyOp')).call(tensor([1, 2])) as Tensor).toFlatArray()).toEqual([3, 6]);
  });

  it('says a file that is not ONNX is not', () => {
    expect(() => importOnnx(new TextEncoder().encode('not a model at all'))).toThrow(/importOnnx: not a readable ONNX model|importOnnx: the model has no graph/);
  });

  it('checks the number of inputs a call gets', () => {
    const model = importOnnx(exportOnnx(new Sequential(new Linear(2, 2)), { inputShape: [1, 2] }));
    expect(() => model.call()).toThrow(/takes 1 input\(s\)/);
  });
});
