import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Generator, Tensor } from '@backprop/tensor';
import * as L from '@backprop/layers';
import {
  decodeSafetensors, encodeSafetensors, loadCheckpoint, MAX_LAYER_NESTING, modelFromBytes, modelToBytes, ModelFileError, saveCheckpoint,
  type CheckpointState,
} from '../src/index.js';
import { BOUNDED_LAYERS, STATELESS_LAYERS } from '../src/architecture.js';

const g = new Generator(5);
const meta = (config: string, extra: Record<string, string> = {}) => ({ format: 'backprop', formatVersion: '1', kind: 'model', config, ...extra });

/** The ModelFileError message `fn` throws (failing the test if it throws anything else, or nothing). */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelFileError);
    return (e as Error).message;
  }
  throw new Error('expected a ModelFileError, nothing was thrown');
}

/** A file whose header is `header` exactly (for dtype lies that keep every byte count). */
function withHeader(bytes: Uint8Array, edit: (header: string) => string): Uint8Array {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = new TextEncoder().encode(edit(new TextDecoder().decode(bytes.subarray(8, 8 + n))));
  const out = new Uint8Array(8 + header.length + bytes.length - 8 - n);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  out.set(bytes.subarray(8 + n), 8 + header.length);
  return out;
}

describe('an architecture is checked against the file before anything is built', () => {
  it('refuses a tiny file declaring huge layers, naming the layer and the sizes', () => {
    const linear = encodeSafetensors({}, meta(JSON.stringify({ type: 'Linear', inFeatures: 20000, outFeatures: 20000 })));
    expect(linear.length).toBeLessThan(300);
    expect(errorOf(() => modelFromBytes(linear))).toMatch(/holds at least 400,020,000 weight values but the file's tensors hold 0.*Linear at config/);
    const nested = JSON.stringify({ type: 'Sequential', layers: [{ type: 'ReLU' }, { type: 'Conv2d', inChannels: 60000, outChannels: 60000, kernelSize: 3 }] });
    expect(errorOf(() => modelFromBytes(encodeSafetensors({}, meta(nested))))).toMatch(/Conv2d at config\.layers\[1\]/);
  });
  it('refuses weights of a small layer under a big declaration', () => {
    const small = decodeSafetensors(modelToBytes(new L.Linear(10, 10, { generator: g })));
    const bytes = encodeSafetensors(small.tensors, meta(JSON.stringify({ type: 'Linear', inFeatures: 1000, outFeatures: 1000 })));
    expect(errorOf(() => modelFromBytes(bytes))).toMatch(/at least 1,001,000 weight values but the file's tensors hold 110/);
  });
  it('counts every layer of a recurrent stack', () => {
    const state = decodeSafetensors(modelToBytes(new L.LSTM(1, 10, { generator: g }))).tensors;
    // One layer of LSTM(1, 10) holds 520 values; 1,000 layers hold far more than this file's.
    const lstm = JSON.stringify({ type: 'LSTM', inputSize: 1, hiddenSize: 10, numLayers: 1000 });
    expect(errorOf(() => modelFromBytes(encodeSafetensors(state, meta(lstm))))).toMatch(/at least 799,640 weight values but the file's tensors hold 520/);
  });
  it('refuses an architecture with more tensors than the file', () => {
    // Few values per layer, but four tensors each: 100,000 values in one tensor do not make 10,000 layers.
    const rnn = JSON.stringify({ type: 'RNN', inputSize: 1, hiddenSize: 1, numLayers: 10_000 });
    const file = encodeSafetensors({ x: new Tensor(new Uint8Array(100_000), [100_000], 'bool') }, meta(rnn));
    expect(errorOf(() => modelFromBytes(file))).toMatch(/at least 20,000 tensors but the file has 1/);
  });
  it('refuses an architecture building too many modules', () => {
    const stack = JSON.stringify({ type: 'TransformerEncoder', encoderLayer: { type: 'Identity' }, numLayers: 1_000_000 });
    expect(errorOf(() => modelFromBytes(encodeSafetensors({}, meta(stack))))).toMatch(/builds at least 1,000,001 modules; the limit is 32,768/);
  });
  // One or more configs of every layer with a bound, with the options that shrink it.
  const SAMPLES: Record<string, Record<string, unknown>[]> = {
    Linear: [{ inFeatures: 3, outFeatures: 4 }, { inFeatures: 3, outFeatures: 4, bias: false }],
    Bilinear: [{ in1Features: 2, in2Features: 3, outFeatures: 4, bias: false }],
    Maxout: [{ inFeatures: 3, outFeatures: 2, pieces: 3, bias: false }],
    Conv1d: [{ inChannels: 4, outChannels: 6, kernelSize: 3, groups: 2, bias: false }],
    Conv2d: [{ inChannels: 4, outChannels: 6, kernelSize: [3, 1], groups: 2 }, { inChannels: 1, outChannels: 2, kernelSize: 2 }],
    ConvTranspose1d: [{ inChannels: 4, outChannels: 6, kernelSize: 3, groups: 2, bias: false }],
    ConvTranspose2d: [{ inChannels: 4, outChannels: 6, kernelSize: 2, groups: 2, bias: false }],
    BatchNorm1d: [{ numFeatures: 3, affine: false }],
    BatchNorm2d: [{ numFeatures: 3, trackRunningStats: false }],
    InstanceNorm1d: [{ numFeatures: 3, affine: true, trackRunningStats: true }, { numFeatures: 3 }],
    InstanceNorm2d: [{ numFeatures: 3, affine: true }],
    GroupNorm: [{ numGroups: 2, numChannels: 4 }, { numGroups: 2, numChannels: 4, affine: false }],
    LayerNorm: [{ normalizedShape: [2, 3], elementwiseAffine: false }, { normalizedShape: 3 }],
    PReLU: [{}, { numParameters: 5 }],
    Embedding: [{ numEmbeddings: 7, embeddingDim: 2 }],
    LearnedPositionalEmbedding: [{ maxLen: 6, embeddingDim: 4 }],
    SinusoidalPositionalEmbedding: [{ embeddingDim: 8 }],
    RNN: [{ inputSize: 3, hiddenSize: 4, numLayers: 3, bidirectional: true, bias: false }],
    GRU: [{ inputSize: 2, hiddenSize: 3, numLayers: 2 }],
    LSTM: [{ inputSize: 2, hiddenSize: 3, bidirectional: true }, { inputSize: 2, hiddenSize: 4, projSize: 2, numLayers: 2, bidirectional: true }],
    MultiheadAttention: [{ embedDim: 8, numHeads: 2 }, { embedDim: 8, numHeads: 2, bias: false }],
    TransformerEncoderLayer: [{ dModel: 8, nhead: 2, dimFeedforward: 16 }],
    TransformerDecoderLayer: [{ dModel: 8, nhead: 2, dimFeedforward: 16 }],
    TransformerEncoder: [{ encoderLayer: { type: 'TransformerEncoderLayer', dModel: 8, nhead: 2, dimFeedforward: 4 }, numLayers: 3 }],
    TransformerDecoder: [{ decoderLayer: { type: 'TransformerDecoderLayer', dModel: 8, nhead: 2, dimFeedforward: 4 }, numLayers: 2 }],
    Transformer: [{ dModel: 8, nhead: 2, dimFeedforward: 4, numEncoderLayers: 2, numDecoderLayers: 1 }],
  };
  it('never refuses a valid file: the bounds hold for every layer that has one', () => {
    const registered = L.listLayers();
    for (const type of BOUNDED_LAYERS.filter((t) => registered.includes(t))) {
      expect(SAMPLES[type], `a sample config of ${type}`).toBeDefined();
      for (const options of SAMPLES[type]) {
        const m = L.layerFromConfig({ type, ...options } as L.LayerConfig, { generator: g });
        const { model } = modelFromBytes(modelToBytes(m));
        expect([...model.stateDict().keys()]).toEqual([...m.stateDict().keys()]);
      }
    }
  });
  it('knows whether every built-in layer holds state', () => {
    const unclassified = L.listLayers().filter((t) => !BOUNDED_LAYERS.includes(t) && !STATELESS_LAYERS.includes(t));
    // A new layer with weights needs a bound in src/architecture.ts; one without goes in STATELESS_LAYERS.
    expect(unclassified).toEqual([]);
    for (const type of STATELESS_LAYERS.filter((t) => L.listLayers().includes(t) && !['Sequential', 'Residual', 'ModuleList', 'ModuleDict'].includes(t))) {
      expect(L.layerFromConfig(JSON.parse(JSON.stringify(sampleOf(type))) as L.LayerConfig).stateDict().size, type).toBe(0);
    }
  });
  it('refuses a positional table too large to allocate besides the weights', () => {
    const table = JSON.stringify({ type: 'SinusoidalPositionalEmbedding', embeddingDim: 100000, maxLen: 100000 });
    expect(errorOf(() => modelFromBytes(encodeSafetensors({}, meta(table))))).toMatch(/allocates 10,000,000,000 values besides its weights.*the limit is 8,388,608/);
  });
});

/** The config of a stateless built-in as its default-constructed instance reports it. */
function sampleOf(type: string): Record<string, unknown> {
  const needs: Record<string, Record<string, unknown>> = {
    Reshape: { shape: [2, 2] },
    Unflatten: { dim: 1, unflattenedSize: [2, 2] },
    MaxPool1d: { kernelSize: 2 },
    MaxPool2d: { kernelSize: 2 },
    AvgPool1d: { kernelSize: 2 },
    AvgPool2d: { kernelSize: 2 },
    AdaptiveAvgPool2d: { outputSize: 1 },
    AdaptiveMaxPool1d: { outputSize: 1 },
    AdaptiveMaxPool2d: { outputSize: 1 },
    Upsample: { scaleFactor: 2 },
    Softmax: { dim: -1 },
    LogSoftmax: { dim: -1 },
    Permute: { dims: [0, 1] },
    SamePad2d: { kernelSize: 2 },
  };
  return { type, ...(needs[type] ?? {}) };
}

describe('nesting and long Sequentials', () => {
  const nested = (levels: number) => '{"type":"Sequential","layers":['.repeat(levels - 1) + '{"type":"Identity"}' + ']}'.repeat(levels - 1);
  it(`loads layers nested ${MAX_LAYER_NESTING} deep and refuses deeper, naming the limit`, () => {
    expect(MAX_LAYER_NESTING).toBe(128);
    expect(modelFromBytes(encodeSafetensors({}, meta(nested(128)))).model).toBeInstanceOf(L.Sequential);
    expect(errorOf(() => modelFromBytes(encodeSafetensors({}, meta(nested(129)))))).toMatch(/nests layers more than 128 levels deep .*the nesting limit is 128 levels/);
    // 5,000 levels overflowed the stack before the limit existed.
    expect(errorOf(() => modelFromBytes(encodeSafetensors({}, meta(nested(5000)))))).toMatch(/the nesting limit is 128 levels/);
  });
  it('refuses option values nested absurdly deep', () => {
    const config = `{"type":"Reshape","shape":${'['.repeat(20000)}${']'.repeat(20000)}}`;
    expect(errorOf(() => modelFromBytes(encodeSafetensors({}, meta(config))))).toMatch(/nests deeper than 264 JSON levels/);
  });
  it('loads a Sequential of 20,000 layers', () => {
    const config = JSON.stringify({ type: 'Sequential', layers: Array.from({ length: 20000 }, () => ({ type: 'Identity' })) });
    const { model } = modelFromBytes(encodeSafetensors({}, meta(config)));
    expect((model as L.Sequential).length).toBe(20000);
    expect(model.namedChildren().at(-1)![0]).toBe('19999');
  });
});

describe('stored dtypes must suit the architecture', () => {
  const mlp = () => new L.Sequential(new L.Linear(2, 2, { generator: g }), new L.BatchNorm1d(2));
  it('refuses float weights declared as I32 (which loaded as numbers in the hundreds of millions)', () => {
    const lying = withHeader(modelToBytes(mlp()), (h) => h.replace(/"F32"/g, '"I32"'));
    expect(errorOf(() => modelFromBytes(lying))).toMatch(/tensor '0\.weight' is I32 in the file but the model's is float32 \(expected F32, F16, BF16, F64\)/);
  });
  it('refuses an integer buffer stored as a float', () => {
    const m = mlp();
    const state = m.stateDict();
    state.set('1.num_batches_tracked', new Tensor(new Float32Array([3]), [], 'float32'));
    const bytes = encodeSafetensors(state, decodeSafetensors(modelToBytes(m)).metadata);
    expect(errorOf(() => modelFromBytes(bytes))).toMatch(/tensor '1\.num_batches_tracked' is F32 in the file but the model's is int32/);
  });
  it('loads F16 weights into a float32 model, exactly', () => {
    const m = new L.Linear(2, 2, { generator: g });
    const { metadata } = decodeSafetensors(modelToBytes(m));
    // 0.5, -0.25, 1.5, 2 and -1, 0.125 as IEEE half-precision bit patterns.
    const half = (bits: number[]) => new Uint8Array(new Uint16Array(bits).buffer);
    const header = JSON.stringify({
      __metadata__: metadata,
      bias: { dtype: 'F16', shape: [2], data_offsets: [0, 4] },
      weight: { dtype: 'F16', shape: [2, 2], data_offsets: [4, 12] },
    });
    const h = new TextEncoder().encode(header);
    const file = new Uint8Array(8 + h.length + 12);
    new DataView(file.buffer).setBigUint64(0, BigInt(h.length), true);
    file.set(h, 8);
    file.set(half([0xbc00, 0x3000, 0x3800, 0xb400, 0x3e00, 0x4000]), 8 + h.length);
    const { model } = modelFromBytes(file);
    const state = model.stateDict();
    expect(state.get('weight')!.dtype).toBe('float32');
    expect(state.get('weight')!.toArray()).toEqual([[0.5, -0.25], [1.5, 2]]);
    expect(state.get('bias')!.toArray()).toEqual([-1, 0.125]);
  });
});

describe('model file metadata is validated field by field', () => {
  const base = () => decodeSafetensors(modelToBytes(new L.Linear(2, 2, { generator: g })));
  const withMeta = (extra: Record<string, string>) => {
    const { tensors, metadata } = base();
    return encodeSafetensors(tensors, { ...metadata, ...extra });
  };
  it.each([
    [{ user: '5' }, /metadata field 'user' must be a JSON object, got 5/],
    [{ user: '[1]' }, /metadata field 'user' must be a JSON object/],
    [{ kind: 'weights' }, /metadata field 'kind' must be 'model' or 'checkpoint', got "weights"/],
    [{ formatVersion: '1.5' }, /metadata field 'formatVersion' must be a version number such as '1', got "1\.5"/],
    [{ config: '"Linear"' }, /the stored architecture must be a layer config \{ type, \.\.\.options \}, got "Linear"/],
    [{ config: '{"type": 3}' }, /must be a layer config/],
    [{ user: `${'['.repeat(100000)}${']'.repeat(100000)}` }, /metadata field 'user' nests deeper than 264 JSON levels \(the limit\)/],
  ])('%o', (extra, message) => {
    expect(errorOf(() => modelFromBytes(withMeta(extra)))).toMatch(message);
  });
});

describe('checkpoint training state is validated field by field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backprop-ckpt-'));
  const model = new L.Linear(2, 1, { generator: g });
  const state: CheckpointState = {
    epoch: 3,
    globalStep: 30,
    optimizerState: { state: {}, paramGroups: [] },
    rngState: new Generator(1).getState(),
    moduleRngStates: { '0': new Generator(2).getState() },
    history: [{ loss: 0.5, acc: NaN }],
    callbackState: { earlyStopping: { best: 0.5 } },
  };

  /** A checkpoint file whose `training` field is `training` (JSON text, as stored). */
  async function checkpointWith(training: string): Promise<string> {
    const path = join(dir, `c${Math.random().toString(36).slice(2)}.ckpt`);
    await saveCheckpoint(path, model, state);
    const { tensors, metadata } = decodeSafetensors(new Uint8Array(await import('node:fs').then((fs) => fs.readFileSync(path))));
    writeFileSync(path, encodeSafetensors(tensors, { ...metadata, training }));
    return path;
  }
  const valid = () => JSON.parse(JSON.stringify({ ...state, modelState: undefined }));

  it('round-trips a valid state, NaN metrics and fields it does not know included', async () => {
    const path = await checkpointWith(JSON.stringify({ ...valid(), futureField: [1, 2] }));
    const { state: back } = await loadCheckpoint(path);
    expect(back.epoch).toBe(3);
    expect(back.history[0].loss).toBe(0.5);
    expect(back.history[0].acc).toBeNaN();
    expect(back.moduleRngStates).toEqual(state.moduleRngStates);
    expect((back as unknown as { futureField: number[] }).futureField).toEqual([1, 2]);
  });
  const cases: [string, string, RegExp][] = [
    ['training: "null"', 'null', /metadata field 'training' must be a JSON object \(the training state\), got null/],
    ['training: not JSON', '{', /metadata field 'training' is not valid JSON/],
    ['training nested 100,000 deep', JSON.stringify({ ...valid(), callbackState: { x: 1 } }).replace('{"x":1}', `{"x":${'['.repeat(100000)}${']'.repeat(100000)}}`), /metadata field 'training' nests deeper than 264 JSON levels/],
    ['history: 5', JSON.stringify({ ...valid(), history: 5 }), /training state field 'history' must be an array of per-epoch logs, objects of numbers, got 5/],
    ['history of strings', JSON.stringify({ ...valid(), history: [{ loss: 'low' }] }), /field 'history' must be an array of per-epoch logs/],
    ['epoch: -1', JSON.stringify({ ...valid(), epoch: -1 }), /training state field 'epoch' must be a non-negative integer, got -1/],
    ['globalStep: "7"', JSON.stringify({ ...valid(), globalStep: '7' }), /field 'globalStep' must be a non-negative integer, got "7"/],
    ['no optimizerState', JSON.stringify({ ...valid(), optimizerState: undefined }), /field 'optimizerState' must be a JSON object, got nothing/],
    ['rngState: [1]', JSON.stringify({ ...valid(), rngState: [1] }), /field 'rngState' must be a generator state \{ s: \[4 unsigned 32-bit integers\], spareNormal: number \| null \}, got \[1\]/],
    ['moduleRngStates: 3', JSON.stringify({ ...valid(), moduleRngStates: 3 }), /field 'moduleRngStates' must be an object of generator states by name, got 3/],
    ['callbackState: []', JSON.stringify({ ...valid(), callbackState: [] }), /field 'callbackState' must be a JSON object, got \[\]/],
  ];
  for (const [name, training, message] of cases) {
    it(`refuses ${name}`, async () => {
      const path = await checkpointWith(training);
      await expect(loadCheckpoint(path)).rejects.toThrow(ModelFileError);
      await expect(loadCheckpoint(path)).rejects.toThrow(message);
    });
  }
});
