// Child process for the bounded-loading fuzz test: loads a corpus of hostile model files and thousands of
// seeded mutants of valid ones, timing each load (CPU time), and prints one JSON summary line. Run under
// --max-old-space-size so that a load allocating too much kills the process instead of passing.
// Usage: node --max-old-space-size=N fuzz-loads.mjs <mutants> <seed>
import { Generator, Tensor } from '@backprop/tensor';
import { BatchNorm1d, Embedding, Linear, LSTM, ReLU, Sequential } from '@backprop/layers';
import { decodeSafetensors, encodeSafetensors, ModelFileError, modelFromBytes, modelToBytes, SAFETENSORS_DTYPES } from '../../dist/index.js';

const mutants = Number(process.argv[2] ?? 10000);
const g = new Generator(Number(process.argv[3] ?? 7));
const pick = (list) => list[g.integer(0, list.length)];

const meta = (config) => ({ format: 'backprop', formatVersion: '1', kind: 'model', config });
const nested = (levels) => '{"type":"Sequential","layers":['.repeat(levels) + '{"type":"Identity"}' + ']}'.repeat(levels);
const hostile = [
  ['Linear(20000, 20000) in 160 bytes', encodeSafetensors({}, meta(JSON.stringify({ type: 'Linear', inFeatures: 20000, outFeatures: 20000 })))],
  ['Linear(60000, 60000)', encodeSafetensors({}, meta(JSON.stringify({ type: 'Linear', inFeatures: 60000, outFeatures: 60000 })))],
  ['LSTM of a million layers', encodeSafetensors({}, meta(JSON.stringify({ type: 'LSTM', inputSize: 1, hiddenSize: 1, numLayers: 1e6 })))],
  ['Sequential of 30,000 Identity layers (720 KB)', encodeSafetensors({}, meta(JSON.stringify({ type: 'Sequential', layers: Array.from({ length: 30000 }, () => ({ type: 'Identity' })) })))],
  ['Sequential of 40,000 Identity layers (960 KB)', encodeSafetensors({}, meta(JSON.stringify({ type: 'Sequential', layers: Array.from({ length: 40000 }, () => ({ type: 'Identity' })) })))],
  ['5,000 nested Sequentials', encodeSafetensors({}, meta(nested(5000)))],
  ['an option nested 100,000 deep', encodeSafetensors({}, meta(`{"type":"Reshape","shape":${'['.repeat(100000)}${']'.repeat(100000)}}`))],
  ['F32 weights declared I32', lie(modelToBytes(new Linear(64, 64, { generator: g })), /"F32"/g, '"I32"')],
];

function lie(bytes, pattern, replacement) {
  const { n, header } = headerOf(bytes);
  return withHeader(header.replace(pattern, replacement), bytes.subarray(8 + n));
}

function headerOf(bytes) {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  return { n, header: new TextDecoder().decode(bytes.subarray(8, 8 + n)) };
}

function withHeader(header, data) {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

const seeds = [
  modelToBytes(new Sequential(new Linear(4, 6, { generator: g }), new BatchNorm1d(6), new ReLU(), new Linear(6, 2, { generator: g }))),
  modelToBytes(new Sequential(new Embedding(10, 3, { generator: g }), new LSTM(3, 4, { generator: g }))),
  encodeSafetensors({ w: new Tensor(new Float32Array([1, 2, 3, 4]), [2, 2], 'float32'), n: new Tensor(new Int32Array([5]), [1], 'int32') }, { note: 'plain' }),
];

const NUMBERS = [0, 1, -1, 3, 2 ** 31, 2 ** 53, 1e9, 20000, 60000, 1.5, 1e300];
const BIG = [0, 1, 2, 7, 20000, 60000, 1e6, 2 ** 32, 2 ** 53 + 2, -4];

/** One mutant of `bytes`: a structural edit of the header or config, or raw damage to the bytes. */
function mutate(bytes) {
  const kind = g.integer(0, 10);
  if (kind >= 6) {
    const out = bytes.slice();
    if (kind === 6) for (let k = 0, n = 1 + g.integer(0, 4); k < n; k++) out[g.integer(0, Math.min(out.length, 400))] = g.integer(0, 256);
    if (kind === 7) for (let k = 0, n = 1 + g.integer(0, 4); k < n; k++) out[g.integer(0, out.length)] ^= 1 << g.integer(0, 8);
    if (kind === 8) return out.subarray(0, g.integer(0, out.length));
    if (kind === 9) return new Uint8Array([...out, ...Array.from({ length: 1 + g.integer(0, 16) }, () => g.integer(0, 256))]);
    return out;
  }
  const { n, header } = headerOf(bytes);
  const data = bytes.subarray(8 + n);
  const h = JSON.parse(header);
  const names = Object.keys(h).filter((k) => k !== '__metadata__');
  const md = h.__metadata__ ?? {};
  if (kind === 0 && md.config) {
    // A number somewhere in the config becomes large, negative, fractional or absurd.
    md.config = md.config.replace(/\d+/g, (d) => (g.random() < 0.3 ? String(pick(NUMBERS)) : d));
  } else if (kind === 1 && names.length > 0) {
    h[pick(names)].dtype = pick([...SAFETENSORS_DTYPES, 'Q7', 'f32', 7]);
  } else if (kind === 2 && names.length > 0) {
    const e = h[pick(names)];
    e.shape = e.shape.map((d) => (g.random() < 0.5 ? pick(BIG) : d));
    if (g.random() < 0.3) e.shape.push(pick(BIG));
  } else if (kind === 3 && names.length > 0) {
    const e = h[pick(names)];
    e.data_offsets = e.data_offsets.map((o) => (g.random() < 0.5 ? pick(BIG) : o));
  } else if (kind === 4 && md.config) {
    // Wrap the architecture in Sequentials, from a few levels to far past the limit.
    const levels = pick([1, 10, 127, 200, 3000]);
    md.config = '{"type":"Sequential","layers":['.repeat(levels) + md.config + ']}'.repeat(levels);
  } else if (kind === 5) {
    const field = pick(['user', 'kind', 'formatVersion', 'training', 'format', 'config']);
    md[field] = pick(['null', '5', '[]', '{}', '"x"', '{"type":"Linear","inFeatures":9000,"outFeatures":9000}', '2', 'checkpoint']);
    h.__metadata__ = md;
  }
  return withHeader(JSON.stringify(h), data);
}

const summary = { loads: 0, decoded: 0, rejected: 0, slowestMs: 0, slowestWallMs: 0, slowest: '', failures: [], hostile: {} };
const baseline = process.memoryUsage().rss;

function load(name, bytes) {
  // CPU time (all threads, GC included) measures a load's work even on a machine shared with other jobs.
  const cpu = process.cpuUsage();
  const start = performance.now();
  let outcome;
  try {
    const isModel = decodeSafetensorsHeaderHasConfig(bytes);
    if (isModel) modelFromBytes(bytes);
    else decodeSafetensors(bytes);
    summary.decoded++;
    outcome = 'loaded';
  } catch (e) {
    if (!(e instanceof ModelFileError)) summary.failures.push(`${name}: ${e?.name}: ${String(e?.message).slice(0, 300)}`);
    summary.rejected++;
    outcome = String(e?.message).slice(0, 400);
  }
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const ms = (used.user + used.system) / 1000;
  summary.loads++;
  summary.slowestWallMs = Math.max(summary.slowestWallMs, wallMs);
  if (ms > summary.slowestMs) {
    summary.slowestMs = ms;
    summary.slowest = name;
  }
  return outcome;
}

/** Whether a file is meant as a model file (its text mentions a config), so both loaders get exercised. */
function decodeSafetensorsHeaderHasConfig(bytes) {
  return bytes.length > 8 && new TextDecoder().decode(bytes.subarray(8, Math.min(bytes.length, 200_000))).includes('"config"');
}

for (const [name, bytes] of hostile) summary.hostile[name] = load(name, bytes);
for (let i = 0; i < mutants; i++) load(`mutant ${i}`, mutate(seeds[i % seeds.length]));
summary.maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
summary.baselineRssMB = Math.round(baseline / 2 ** 20);
console.log(JSON.stringify(summary));
