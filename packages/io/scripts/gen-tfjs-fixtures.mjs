// Builds small tfjs-layers models with @tensorflow/tfjs (CPU backend), saves each as a model.json plus
// .bin shards (the layout `model.save('file://…')` writes) under test/fixtures/tfjs/, and records tfjs's
// outputs for fixed inputs in <name>.expected.json. Run from packages/io: `node scripts/gen-tfjs-fixtures.mjs`.
//
// tfjs-layers cannot build a GRU with reset_after=true (the TF2 Keras default), so `gru_reset_after` is
// written by hand in Keras' own layout, and its expected outputs come from Keras' GRU equations evaluated
// with tfjs ops. The tfjs-built `gru_reset_before` is kept to test that it is refused.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'tfjs');
mkdirSync(join(OUT, 'activations'), { recursive: true });
await tf.setBackend('cpu');

let seed = 12345;
/** A seeded uniform value in [lo, hi) (a 32-bit LCG: fixtures must not change between runs). */
function rand(lo = -1, hi = 1) {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return lo + (hi - lo) * (seed / 2 ** 32);
}
const randArray = (n, lo, hi) => Array.from({ length: n }, () => rand(lo, hi));

/** Replaces every weight with seeded values (variances positive), so no weight is a trivial default. */
function randomizeWeights(model) {
  for (const layer of model.layers) {
    const weights = layer.weights;
    if (weights.length === 0) continue;
    layer.setWeights(weights.map((w) => {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const positive = w.originalName.endsWith('moving_variance');
      return tf.tensor(randArray(n, positive ? 0.5 : -0.8, positive ? 2 : 0.8), w.shape);
    }));
  }
}

/** Writes model.json and its shards (weights split into `shards` files) as tfjs's file handler does. */
async function save(model, name, shards = 1) {
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    writeArtifacts(name, artifacts.modelTopology, artifacts.weightSpecs, new Uint8Array(artifacts.weightData), shards);
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
}

function writeArtifacts(name, modelTopology, weightSpecs, bytes, shards) {
  const size = Math.ceil(bytes.length / shards);
  const paths = [];
  for (let i = 0; i < shards; i++) {
    // Shard paths are relative to the model.json, as tfjs's file handler writes them.
    const path = `${basename(name)}.group1-shard${i + 1}of${shards}.bin`;
    writeFileSync(join(OUT, dirname(name), path), bytes.subarray(i * size, (i + 1) * size));
    paths.push(path);
  }
  const modelJson = { format: 'layers-model', generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`, convertedBy: null, modelTopology, weightsManifest: [{ paths, weights: weightSpecs }] };
  writeFileSync(join(OUT, `${name}.json`), `${JSON.stringify(modelJson)}\n`);
}

function expected(name, input, output) {
  const round = (a) => Array.from(a, (v) => Number(v.toPrecision(9)));
  writeFileSync(join(OUT, `${name}.expected.json`), `${JSON.stringify({
    input: { shape: input.shape, dtype: input.dtype, values: round(input.dataSync()) },
    output: { shape: output.shape, values: round(output.dataSync()) },
  })}\n`);
}

async function fixture(name, model, input, shards = 1) {
  randomizeWeights(model);
  await save(model, name, shards);
  expected(name, input, model.predict(input));
}

const glorot = { kernelInitializer: 'glorotUniform', recurrentInitializer: 'glorotUniform' };

// MLP: Dense, BatchNormalization on features, Dropout and Activation layers.
{
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [5], units: 8, activation: 'relu' }));
  m.add(tf.layers.batchNormalization({ epsilon: 0.01 }));
  m.add(tf.layers.dropout({ rate: 0.3 }));
  m.add(tf.layers.dense({ units: 7, activation: 'elu' }));
  m.add(tf.layers.dense({ units: 6, activation: 'tanh', useBias: false }));
  m.add(tf.layers.dense({ units: 3 }));
  m.add(tf.layers.activation({ activation: 'softmax' }));
  await fixture('mlp', m, tf.tensor(randArray(4 * 5, -2, 2), [4, 5]));
}

// Each activation on its own, as a Dense option and as an Activation layer (inputs over [-4, 4]).
for (const activation of ['relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'linear', 'elu', 'selu', 'softplus', 'softsign', 'swish', 'mish']) {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [3], units: 4, activation }));
  m.add(tf.layers.dense({ units: 4 }));
  m.add(tf.layers.activation({ activation }));
  await fixture(`activations/${activation}`, m, tf.tensor(randArray(5 * 3, -4, 4), [5, 3]));
}
{
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [3], units: 4 }));
  m.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  await fixture('activations/leaky_re_lu', m, tf.tensor(randArray(5 * 3, -4, 4), [5, 3]));
}

// CNN: NHWC input; convolutions (same and valid, a stride and a dilation), BatchNormalization over
// channels, both poolings, and a Flatten whose order is channels-last; weights in two shards.
{
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [10, 9, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tf.layers.batchNormalization({}));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 5, kernelSize: [2, 1], strides: [1, 2], activation: 'tanh' }));
  m.add(tf.layers.averagePooling2d({ poolSize: [2, 1], strides: 1 }));
  m.add(tf.layers.conv2d({ filters: 3, kernelSize: 2, dilationRate: 1, useBias: false }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 4, activation: 'softmax' }));
  await fixture('cnn', m, tf.tensor(randArray(2 * 10 * 9 * 3, -1, 1), [2, 10, 9, 3]), 2);
}

// CNN ending in GlobalAveragePooling2D, with a dilated convolution.
{
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, dilationRate: 2, activation: 'elu' }));
  m.add(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3 }));
  m.add(tf.layers.globalAveragePooling2d({}));
  m.add(tf.layers.dense({ units: 2 }));
  await fixture('cnn_gap', m, tf.tensor(randArray(3 * 8 * 8 * 2, -1, 1), [3, 8, 8, 2]));
}

// Stacked LSTMs: return_sequences true, then false (the last step).
{
  const m = tf.sequential();
  m.add(tf.layers.lstm({ inputShape: [6, 3], units: 4, returnSequences: true, recurrentActivation: 'sigmoid', ...glorot }));
  m.add(tf.layers.lstm({ units: 5, recurrentActivation: 'sigmoid', ...glorot }));
  m.add(tf.layers.dense({ units: 2 }));
  await fixture('lstm', m, tf.tensor(randArray(3 * 6 * 3, -1, 1), [3, 6, 3]));
}

// Embedding → LSTM (sequences) → Flatten-free classifier on the last step.
{
  const m = tf.sequential();
  m.add(tf.layers.embedding({ inputDim: 11, outputDim: 4, inputLength: 7 }));
  m.add(tf.layers.lstm({ units: 3, recurrentActivation: 'sigmoid', ...glorot }));
  m.add(tf.layers.dense({ units: 2, activation: 'sigmoid' }));
  const ids = tf.tensor(Array.from({ length: 2 * 7 }, () => Math.floor(rand(0, 11))), [2, 7], 'int32');
  await fixture('embedding_lstm', m, ids);
}

// A GRU as tfjs-layers builds it (reset_after=false): the importer must refuse it.
{
  const m = tf.sequential();
  m.add(tf.layers.gru({ inputShape: [4, 3], units: 2, recurrentActivation: 'sigmoid', ...glorot }));
  randomizeWeights(m);
  await save(m, 'gru_reset_before');
}

// A GRU with reset_after=true as TF2 Keras saves it (converted to tfjs): kernel [in, 3H] and
// recurrent_kernel [H, 3H] with gates z, r, h; bias [2, 3H] (input row, recurrent row).
{
  const [T, I, H, O, N] = [5, 3, 4, 2, 3];
  const kernel = tf.tensor(randArray(I * 3 * H, -0.8, 0.8), [I, 3 * H]);
  const recurrent = tf.tensor(randArray(H * 3 * H, -0.8, 0.8), [H, 3 * H]);
  const bias = tf.tensor(randArray(2 * 3 * H, -0.5, 0.5), [2, 3 * H]);
  const denseK = tf.tensor(randArray(H * O, -0.8, 0.8), [H, O]);
  const denseB = tf.tensor(randArray(O, -0.5, 0.5), [O]);
  const x = tf.tensor(randArray(N * T * I, -1, 1), [N, T, I]);
  // Keras GRUCell with reset_after: the reset gate scales the recurrent term after its matmul and bias.
  let h = tf.zeros([N, H]);
  const [bIn, bRec] = tf.unstack(bias);
  for (let t = 0; t < T; t++) {
    const xt = x.slice([0, t, 0], [N, 1, I]).reshape([N, I]);
    const [xz, xr, xh] = tf.split(tf.add(tf.matMul(xt, kernel), bIn), 3, 1);
    const [hz, hr, hh] = tf.split(tf.add(tf.matMul(h, recurrent), bRec), 3, 1);
    const z = tf.sigmoid(tf.add(xz, hz));
    const r = tf.sigmoid(tf.add(xr, hr));
    const candidate = tf.tanh(tf.add(xh, tf.mul(r, hh)));
    h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate));
  }
  const y = tf.add(tf.matMul(h, denseK), denseB);
  const modelTopology = {
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      layers: [
        { class_name: 'InputLayer', config: { batch_input_shape: [null, T, I], dtype: 'float32', name: 'input_1' } },
        { class_name: 'GRU', config: { name: 'gru', units: H, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, return_sequences: false, return_state: false, go_backwards: false, stateful: false, reset_after: true, dtype: 'float32' } },
        { class_name: 'Dense', config: { name: 'dense', units: O, activation: 'linear', use_bias: true, dtype: 'float32' } },
      ],
    },
    keras_version: '2.15.0',
    backend: 'tensorflow',
  };
  const named = [['gru/gru_cell/kernel', kernel], ['gru/gru_cell/recurrent_kernel', recurrent], ['gru/gru_cell/bias', bias], ['dense/kernel', denseK], ['dense/bias', denseB]];
  const specs = named.map(([n, t]) => ({ name: n, shape: t.shape, dtype: 'float32' }));
  const parts = named.map(([, t]) => new Uint8Array(t.dataSync().buffer.slice(0)));
  const bytes = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) { bytes.set(p, offset); offset += p.length; }
  writeArtifacts('gru_reset_after', modelTopology, specs, bytes, 1);
  expected('gru_reset_after', x, y);
}
// TensorFlow's 'same' padding: strided (asymmetric on odd sizes), an even kernel, a 'same' max pooling.
{
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [9, 7, 2], filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }));
  m.add(tf.layers.conv2d({ filters: 4, kernelSize: [2, 4], padding: 'same' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }));
  m.add(tf.layers.conv2d({ filters: 2, kernelSize: 2, strides: [2, 1], dilationRate: 1, padding: 'same' }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 3 }));
  await fixture('cnn_same', m, tf.tensor(randArray(2 * 9 * 7 * 2, -1, 1), [2, 9, 7, 2]));
}
// Quantized weights, as `tensorflowjs_converter --quantize_uint8/--quantize_uint16/--quantize_float16`
// writes them (value = q · scale + min; float16 halves); the expected outputs come from tfjs loading them.
{
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [4], units: 5, activation: 'tanh' }));
  m.add(tf.layers.dense({ units: 3 }));
  randomizeWeights(m);
  const kinds = ['uint8', 'uint16', 'float16', 'uint8'];
  const specs = [];
  const parts = [];
  m.weights.forEach((w, i) => {
    const values = w.read().dataSync();
    const dtype = kinds[i];
    if (dtype === 'float16') {
      parts.push(new Uint8Array(Uint16Array.from(values, toHalf).buffer));
      specs.push({ name: w.originalName, shape: w.shape, dtype: 'float32', quantization: { dtype } });
      return;
    }
    const levels = dtype === 'uint8' ? 255 : 65535;
    const [min, max] = [Math.min(...values), Math.max(...values)];
    const scale = (max - min) / levels;
    const q = Array.from(values, (v) => Math.round((v - min) / scale));
    parts.push(new Uint8Array((dtype === 'uint8' ? Uint8Array.from(q) : Uint16Array.from(q)).buffer));
    specs.push({ name: w.originalName, shape: w.shape, dtype: 'float32', quantization: { dtype, scale, min } });
  });
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) { bytes.set(p, offset); offset += p.length; }
  const modelTopology = m.toJSON(null, false);
  writeArtifacts('quantized', modelTopology, specs, bytes, 1);
  const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs: specs, weightData: bytes.buffer }));
  const x = tf.tensor(randArray(3 * 4, -2, 2), [3, 4]);
  expected('quantized', x, loaded.predict(x));
}

// The layer forms of activations, GlobalMaxPooling2D, Reshape and Permute.
{
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [6, 5, 2], filters: 6, kernelSize: 3 }));
  m.add(tf.layers.reLU({ maxValue: 1 }));
  m.add(tf.layers.globalMaxPooling2d({}));
  m.add(tf.layers.reshape({ targetShape: [3, 2] }));
  m.add(tf.layers.permute({ dims: [2, 1] }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 4 }));
  m.add(tf.layers.elu({}));
  m.add(tf.layers.softmax({}));
  await fixture('layer_forms', m, tf.tensor(randArray(2 * 6 * 5 * 2, -0.4, 0.4), [2, 6, 5, 2]));
}

/** float32 → IEEE half (round to nearest even; the weights here are normal numbers). */
function toHalf(v) {
  const f = new Float32Array([v]);
  const bits = new Uint32Array(f.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  let exp = ((bits >>> 23) & 0xff) - 127 + 15;
  let mant = bits & 0x7fffff;
  if (exp <= 0) return sign;
  // Round the 13 dropped bits to nearest, ties to even.
  const rest = mant & 0x1fff;
  mant >>>= 13;
  if (rest > 0x1000 || (rest === 0x1000 && (mant & 1))) mant += 1;
  if (mant === 0x400) { mant = 0; exp += 1; }
  return sign | (exp << 10) | mant;
}
console.log(`wrote fixtures to ${OUT}`);
