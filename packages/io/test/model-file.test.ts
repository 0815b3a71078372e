import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Generator, randn, Tensor, type NestedArray } from '@backprop/tensor';
import { noGrad } from '@backprop/autograd';
import {
  ELU, GELU, HardTanh, Identity, LeakyReLU, Linear, LogSoftmax, Maxout, Module, ReLU, Reshape, Residual, Sequential, Sigmoid, Softmax,
  Softplus, Tanh, Flatten, registerLayer, type LayerConfig, type AnyModule,
} from '@backprop/layers';
import { decode, expectClose, readFixture, type Encoded } from '@backprop/test-utils';
import {
  decodeSafetensors, encodeSafetensors, FORMAT_VERSION, loadModel, loadWeights, modelFromBlob, modelFromBytes, modelToBlob, modelToBytes,
  ModelFileError, saveModel, saveWeights,
} from '../src/index.js';
// @ts-expect-error: a plain .mjs script shared with the fixture workflow
import { seededMlp } from '../scripts/make-backprop-mlp.mjs';

const tmp = () => mkdtempSync(join(tmpdir(), 'backprop-io-'));
const out = (m: AnyModule, x: Tensor) => noGrad(() => (m as Module).call(x) as Tensor);

/** A plugin layer, as a third-party package would define it: y = x · scale, with a learnable scale. */
class Scale extends Module {
  constructor(readonly size: number) {
    super();
    this.registerParameter('scale', randn([size], { generator: new Generator(size) }).requiresGrad_());
  }
  override forward(x: Tensor): Tensor {
    return x.mul(this.getParameter('scale')!);
  }
  override toConfig(): LayerConfig {
    return { type: 'test.Scale', size: this.size };
  }
}
registerLayer('test.Scale', (config) => new Scale(config.size as number));

describe('model files', () => {
  const g = new Generator(3);
  const everyLayer = new Sequential(
    new Linear(6, 8, { generator: g }), new ReLU(), new Linear(8, 8, { generator: g }), new Tanh(), new Sigmoid(), new HardTanh(),
    new LeakyReLU(0.2), new ELU(0.5), new GELU(), new Softplus(2, 10), new Residual(new Sequential(new Linear(8, 8, { generator: g }), new Tanh())),
    new Maxout(8, 4, 3, { generator: g }), new Reshape([2, 2]), new Flatten(), new Identity(), new Scale(4), new Softmax(-1), new LogSoftmax(-1),
  );
  const x = randn([5, 6], { generator: g });

  it('round-trips every built-in MLP layer and a plugin layer through a file', async () => {
    const path = join(tmp(), 'model.safetensors');
    await saveModel(everyLayer, path, { metadata: { classes: ['a', 'b'], mean: [0.5] } });
    const { model, metadata } = await loadModel(path);
    expect(metadata).toEqual({ classes: ['a', 'b'], mean: [0.5] });
    expect(out(model, x).toArray()).toEqual(out(everyLayer, x).toArray());
    expect([...model.stateDict().keys()]).toEqual([...everyLayer.stateDict().keys()]);
  });
  it('round-trips through bytes and Blobs, as browsers use them', async () => {
    const back = modelFromBytes(modelToBytes(everyLayer));
    expect(out(back.model, x).toArray()).toEqual(out(everyLayer, x).toArray());
    const viaBlob = await modelFromBlob(modelToBlob(everyLayer));
    expect(out(viaBlob.model, x).toArray()).toEqual(out(everyLayer, x).toArray());
  });
  it('stores weights under PyTorch names with the architecture in the metadata', () => {
    const { tensors, metadata } = decodeSafetensors(modelToBytes(new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1))));
    expect([...tensors.keys()].sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
    expect(tensors.get('0.weight')!.shape).toEqual([3, 2]);
    expect(metadata.format).toBe('backprop');
    expect(metadata.formatVersion).toBe(String(FORMAT_VERSION));
    expect(JSON.parse(metadata.config).type).toBe('Sequential');
  });
  it('refuses a file from a newer format version, saying so', () => {
    const { tensors, metadata } = decodeSafetensors(modelToBytes(new Linear(2, 2)));
    const newer = encodeSafetensors(tensors, { ...metadata, formatVersion: String(FORMAT_VERSION + 1) });
    expect(() => modelFromBytes(newer)).toThrow(/format version 2, written by a newer backprop; this version reads format versions up to 1/);
  });
  it('lists every missing, unexpected and mis-shaped tensor in one error, before touching the model', () => {
    const { tensors, metadata } = decodeSafetensors(modelToBytes(new Sequential(new Linear(2, 3), new Linear(3, 1))));
    tensors.delete('0.bias');
    tensors.set('extra', new Tensor(new Float32Array(1), [1], 'float32'));
    tensors.set('1.weight', new Tensor(new Float32Array(6), [2, 3], 'float32'));
    const broken = encodeSafetensors(tensors, metadata);
    let message = '';
    try {
      modelFromBytes(broken);
    } catch (e) {
      expect(e).toBeInstanceOf(ModelFileError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/0\.bias/);
    expect(message).toMatch(/extra/);
    expect(message).toMatch(/1\.weight/);
  });
  it('names an unknown layer type in a stored config', () => {
    const { tensors, metadata } = decodeSafetensors(modelToBytes(new Identity()));
    const bytes = encodeSafetensors(tensors, { ...metadata, config: JSON.stringify({ type: 'NoSuchLayer' }) });
    expect(() => modelFromBytes(bytes)).toThrow(/cannot be rebuilt: .*NoSuchLayer/);
  });
  it('explains a plain weights file', async () => {
    const path = join(tmp(), 'w.safetensors');
    await saveWeights(new Linear(2, 2), path);
    await expect(loadModel(path)).rejects.toThrow(/no backprop model config \(plain weights\?/);
  });
});

interface InterchangeCase {
  name: string;
  x: Encoded;
  y: Encoded;
}

describe('PyTorch interchange', () => {
  const fixture = readFixture<InterchangeCase>(import.meta.url, 'interchange.json');
  const byName = Object.fromEntries(fixture.cases.map((c) => [c.name, c]));
  const fixtures = (name: string) => join(new URL('.', import.meta.url).pathname, 'fixtures', name);

  it('loads a state_dict that PyTorch saved as safetensors and gives its outputs', async () => {
    const model = new Sequential(new Linear(4, 8), new Tanh(), new Linear(8, 3));
    model.loadStateDict(await loadWeights(fixtures('torch_mlp.safetensors')));
    const c = byName.torch_to_backprop;
    expectClose(out(model, decode(c.x)), decode(c.y), 1e-5, 1e-6);
  });
  it('writes weights that PyTorch loads into the matching model with the same outputs', async () => {
    const model = seededMlp() as AnyModule;
    // The committed file is what this code writes: byte for byte, so torch's recorded outputs are for it.
    const path = join(tmp(), 'mlp.safetensors');
    await saveWeights(model, path);
    expect(Buffer.compare(readFileSync(path), readFileSync(fixtures('backprop_mlp.safetensors')))).toBe(0);
    const c = byName.backprop_to_torch;
    expectClose(out(model, decode(c.x)), decode(c.y), 1e-5, 1e-6);
  });
  it('reports a truncated file instead of crashing', async () => {
    const path = join(tmp(), 'cut.safetensors');
    writeFileSync(path, readFileSync(fixtures('torch_mlp.safetensors')).subarray(0, 300));
    await expect(loadWeights(path)).rejects.toThrow(/past the end of the data/);
  });
});

export type { NestedArray };
