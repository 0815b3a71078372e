import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '@backprop/tensor';
import { noGrad } from '@backprop/autograd';
import { expectClose } from '@backprop/test-utils';
import { loadTfjsModel, loadTfjsModelFromFiles, modelFromBytes, modelToBytes, ModelFileError, Permute } from '../src/index.js';

// Fixtures: models built and run by @tensorflow/tfjs (scripts/gen-tfjs-fixtures.mjs).
const DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'tfjs');

interface Expected {
  input: { shape: number[]; dtype: 'float32' | 'int32'; values: number[] };
  output: { shape: number[]; values: number[] };
}

const expected = (name: string): Expected => JSON.parse(readFileSync(join(DIR, `${name}.expected.json`), 'utf8')) as Expected;
const modelJson = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;

/** The model.json and its shards, read here, for the pure loader. */
function artifacts(name: string): [Record<string, unknown>, Map<string, Uint8Array>] {
  const json = modelJson(name);
  const shards = new Map<string, Uint8Array>();
  for (const group of json.weightsManifest as { paths: string[] }[]) {
    for (const p of group.paths) shards.set(p, new Uint8Array(readFileSync(join(DIR, dirname(name), p))));
  }
  return [json, shards];
}

function run(model: { call(x: Tensor): unknown }, e: Expected): Tensor {
  const x = tensor(e.input.dtype === 'int32' ? Int32Array.from(e.input.values) : Float32Array.from(e.input.values), e.input.shape);
  return noGrad(() => model.call(x) as Tensor);
}

const want = (e: Expected) => tensor(Float32Array.from(e.output.values), e.output.shape);

describe('loadTfjsModel', () => {
  for (const name of ['mlp', 'cnn', 'cnn_gap', 'cnn_same', 'lstm', 'embedding_lstm', 'gru_reset_after', 'quantized', 'layer_forms']) {
    it(`${name}: gives tfjs's outputs`, async () => {
      const model = await loadTfjsModelFromFiles(join(DIR, `${name}.json`));
      expectClose(run(model, expected(name)), want(expected(name)), 1e-4, 1e-5);
    });
  }

  const activations = readdirSync(join(DIR, 'activations')).filter((f) => f.endsWith('.expected.json')).map((f) => f.replace('.expected.json', ''));
  it('converts every activation in the fixtures', () => {
    expect(activations.sort()).toEqual(['elu', 'leaky_re_lu', 'linear', 'mish', 'relu', 'relu6', 'selu', 'sigmoid', 'softmax', 'softplus', 'softsign', 'swish', 'tanh']);
  });
  for (const name of activations) {
    it(`activation ${name}: gives tfjs's outputs`, () => {
      const [json, shards] = artifacts(`activations/${name}`);
      const e = expected(`activations/${name}`);
      expectClose(run(loadTfjsModel(json, shards), e), want(e), 1e-4, 1e-5);
    });
  }

  it('keeps the NHWC input layout, permuting around the convolutions', () => {
    const [json, shards] = artifacts('cnn');
    const model = loadTfjsModel(json, Object.fromEntries(shards));
    const children = [...model.children()];
    const kinds = children.map((m) => m.constructor.name);
    expect(kinds[0]).toBe('Permute');
    expect((children[0] as Permute).dims).toEqual([0, 3, 1, 2]);
    expect((children[kinds.indexOf('Flatten') - 1] as Permute).dims).toEqual([0, 2, 3, 1]);
    expect(kinds[kinds.indexOf('Flatten') - 1]).toBe('Permute');
    expect(model.training).toBe(false);
  });

  it('converts BatchNormalization momentum and epsilon to PyTorch conventions', () => {
    const [json, shards] = artifacts('cnn_gap');
    const bn = [...loadTfjsModel(json, shards).children()].find((m) => m.constructor.name === 'BatchNorm2d') as unknown as { eps: number; momentum: number };
    expect(bn.eps).toBe(1e-3);
    expect(bn.momentum).toBeCloseTo(0.1, 12);
  });

  it('imported models save and load as backprop model files', () => {
    const [json, shards] = artifacts('cnn');
    const { model } = modelFromBytes(modelToBytes(loadTfjsModel(json, shards)));
    model.eval();
    expectClose(run(model as never, expected('cnn')), want(expected('cnn')), 1e-4, 1e-5);
  });

  it("refuses AveragePooling2D with 'same' padding, which averages without the border", () => {
    const [json, shards] = artifacts('cnn');
    const layers = (json.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    layers.find((l) => l.class_name === 'AveragePooling2D')!.config.padding = 'same';
    expect(() => loadTfjsModel(json, shards)).toThrow(/AveragePooling2D layer 'average_pooling2d_AveragePooling2D1': padding "same" is not supported; expected 'valid'/);
  });

  it("refuses tfjs's reset_after=false GRU, naming the layer", async () => {
    await expect(loadTfjsModelFromFiles(join(DIR, 'gru_reset_before.json'))).rejects.toThrow(/GRU layer 'gru_GRU1': reset_after=false .* only reset_after=true/);
  });

  it('refuses an unsupported layer with one error naming its class and name', () => {
    const [json, shards] = artifacts('mlp');
    const topology = json.modelTopology as { config: { layers: unknown[] } };
    topology.config.layers.splice(1, 0, { class_name: 'Conv3D', config: { name: 'conv3d_1' } });
    expect(() => loadTfjsModel(json, shards)).toThrow(ModelFileError);
    expect(() => loadTfjsModel(json, shards)).toThrow(/unsupported layer Conv3D 'conv3d_1'; supported layers: InputLayer, Dense, Conv2D/);
  });

  it('refuses hard_sigmoid recurrent activations (the tfjs-layers default) and unsupported activations', () => {
    const [json, shards] = artifacts('lstm');
    const layers = (json.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers;
    layers[0].config.recurrent_activation = 'hard_sigmoid';
    expect(() => loadTfjsModel(json, shards)).toThrow(/LSTM layer 'lstm_LSTM1': recurrent_activation "hard_sigmoid" is not supported/);
    const [mlp, mlpShards] = artifacts('mlp');
    (mlp.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0].config.activation = 'gelu_new';
    expect(() => loadTfjsModel(mlp, mlpShards)).toThrow(/Dense layer 'dense_Dense1': activation "gelu_new" is not supported; expected one of linear, relu/);
  });

  it('refuses unknown quantizations and quantized weights without a finite scale', () => {
    const [json, shards] = artifacts('quantized');
    const weights = (json.weightsManifest as { weights: { quantization: Record<string, unknown> }[] }[])[0].weights;
    weights[0].quantization.scale = null;
    expect(() => loadTfjsModel(json, shards)).toThrow("weight 'dense_Dense35/kernel' is uint8-quantized but its scale and min are null and -0.");
    weights[0].quantization = { dtype: 'int4' };
    expect(() => loadTfjsModel(json, shards)).toThrow(`weight 'dense_Dense35/kernel' is quantized as {"dtype":"int4"}; expected dtype uint8, uint16 or float16`);
  });

  it('refuses missing shards, short shards, functional models and graph models', () => {
    const [json, shards] = artifacts('cnn');
    const first = [...shards.keys()][0];
    const missing = new Map(shards);
    missing.delete(first);
    expect(() => loadTfjsModel(json, missing)).toThrow(`model.json names the weight shard '${first}', which was not given`);
    const short = new Map(shards);
    short.set(first, shards.get(first)!.subarray(0, 10));
    expect(() => loadTfjsModel(json, short)).toThrow(/ends at byte \d+ but the shards of group 0 hold \d+ bytes/);
    expect(() => loadTfjsModel({ ...json, modelTopology: { class_name: 'Functional', config: {} } }, shards)).toThrow(
      'a Functional model is not supported; only Sequential models can be imported',
    );
    expect(() => loadTfjsModel({ ...json, format: 'graph-model' }, shards)).toThrow(/only tfjs-layers models/);
  });

  it('refuses shard paths that leave the model folder', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'backprop-tfjs-'));
    const json = modelJson('mlp');
    (json.weightsManifest as { paths: string[] }[])[0].paths = ['../secret.bin'];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadTfjsModelFromFiles(join(dir, 'model.json'))).rejects.toThrow('weight shard path "../secret.bin" must be relative and stay in the model.json\'s folder');
  });
});
