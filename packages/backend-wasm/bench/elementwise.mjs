#!/usr/bin/env node
// Milliseconds per call of the elementwise, softmax, reduction and pooling kernels on cpu and wasm, in one
// run, at several sizes: the evidence for which kernels the wasm backend registers and for its small-size
// cutoffs. `node bench/elementwise.mjs reduce` (or any word) times only the cases whose name contains it.
// Run after `npm run build`: node bench/elementwise.mjs
import * as T from '@backprop/tensor';
import { Generator, randn, setBackend } from '@backprop/tensor';
import { useWasmBackend } from '../dist/index.js';

await useWasmBackend();

function time(fn, minSeconds = 0.25) {
  fn();
  let best = Infinity;
  const end = performance.now() + minSeconds * 1000;
  for (let calls = 0; performance.now() < end || calls < 3; calls++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

const g = new Generator(0);
const cases = [];
for (const n of [256, 4096, 262144]) {
  const x = randn([n / 64, 64], { generator: g });
  const y = randn([n / 64, 64], { generator: g });
  const bias = randn([64], { generator: g });
  const col = randn([n / 64, 1], { generator: g });
  for (const op of ['neg', 'abs', 'square', 'relu', 'floor', 'round', 'exp', 'sigmoid', 'tanh']) cases.push([`${op} ${n}`, () => T[op](x)]);
  cases.push([`sqrt ${n}`, () => T.sqrt(y.abs())]);
  cases.push([`leakyRelu ${n}`, () => T.leakyRelu(x, 0.1)]);
  cases.push([`clamp ${n}`, () => T.clamp(x, -1, 1)]);
  for (const op of ['add', 'sub', 'mul', 'div', 'maximum']) cases.push([`${op} ${n}`, () => T[op](x, y)]);
  cases.push([`add bias-row ${n}`, () => T.add(x, bias)]);
  cases.push([`div column ${n}`, () => T.div(x, col)]);
  cases.push([`mul scalar ${n}`, () => T.mul(x, 0.5)]);
  cases.push([`softmax ${n}`, () => T.softmax(x, -1)]);
  cases.push([`logSoftmax ${n}`, () => T.logSoftmax(x, -1)]);
}

// Windows of a k-wide, stride-s pooling along an axis of `size` (no padding), as ops/pool-average.ts builds them.
function windows(size, k, s) {
  const n = Math.floor((size - k) / s) + 1;
  const w = { start: new Int32Array(n), end: new Int32Array(n), count: new Int32Array(n) };
  for (let i = 0; i < n; i++) [w.start[i], w.end[i], w.count[i]] = [i * s, i * s + k, k];
  return w;
}

for (const n of [1024, 16384, 262144, 4194304]) {
  const flat = randn([n], { generator: g });
  const rows = randn([n / 256, 256], { generator: g });
  const wide = randn([n / 1024, 1024], { generator: g });
  const batch = randn([n / 512, 512], { generator: g });
  // Values near 1 for prod: a product of thousands of randn values passes through float64 subnormals
  // (slow on both backends) on its way to 0.
  const nearOne = flat.mul(0.01).add(1);
  for (const op of ['sum', 'max', 'min']) cases.push([`${op} all ${n}`, () => T[op](flat)]);
  cases.push([`prod all ${n}`, () => T.prod(nearOne)]);
  cases.push([`sum last [${n / 256},256]`, () => T.sum(rows, -1)]);
  cases.push([`max last [${n / 256},256]`, () => T.max(rows, -1)]);
  cases.push([`sum last [${n / 1024},1024]`, () => T.sum(wide, -1)]);
  cases.push([`sum axis0 [${n / 512},512]`, () => T.sum(batch, 0)]);
  cases.push([`max axis0 [${n / 512},512]`, () => T.max(batch, 0)]);
  if (n >= 16384) {
    const nchw = randn([n / 4096, 16, 16, 16], { generator: g });
    cases.push([`sum [0,2,3] [${n / 4096},16,16,16]`, () => T.sum(nchw, [0, 2, 3])]);
    cases.push([`mean [0,2,3] [${n / 4096},16,16,16]`, () => T.mean(nchw, [0, 2, 3])]);
  }
}

for (const [N, C, H] of [[1, 4, 16], [8, 16, 32], [32, 64, 32], [64, 128, 7]]) {
  const n = N * C * H * H;
  const x = randn([N, C, H, H], { generator: g });
  const w2 = windows(H, 2, 2);
  const w3 = windows(H, 3, 1);
  const all = windows(H, H, 1);
  const g2 = randn([N, C, w2.start.length, w2.start.length], { generator: g });
  const g3 = randn([N, C, w3.start.length, w3.start.length], { generator: g });
  const { indices } = T.maxPool2dWithIndices(x, { kernelSize: 2 });
  const label = `[${N},${C},${H},${H}] ${n}`;
  cases.push([`avgPool 2x2 ${label}`, () => T.avgPool2d(x, { kernelSize: 2 })]);
  cases.push([`avgPool 3x3/1 ${label}`, () => T.avgPool2d(x, { kernelSize: 3, stride: 1 })]);
  cases.push([`globalAvgPool ${label}`, () => T.adaptiveAvgPool2d(x, 1)]);
  cases.push([`avgPool 2x2 bwd ${label}`, () => T.windowAverage2dBackward(g2, w2, w2, [H, H])]);
  cases.push([`avgPool 3x3/1 bwd ${label}`, () => T.windowAverage2dBackward(g3, w3, w3, [H, H])]);
  cases.push([`globalAvgPool bwd ${label}`, () => T.windowAverage2dBackward(T.randn([N, C, 1, 1]), all, all, [H, H])]);
  cases.push([`maxPool 2x2 scatter ${label}`, () => T.scatterAddPlanes(g2, indices, [H, H])]);
}

const only = process.argv[2];
console.log('kernel                    cpu ms    wasm ms   speedup');
for (const [name, fn] of cases.filter(([name]) => !only || name.includes(only))) {
  setBackend('cpu');
  const cpu = time(fn);
  setBackend('wasm');
  const wasm = time(fn);
  console.log(`${name.padEnd(24)} ${cpu.toFixed(4).padStart(8)} ${wasm.toFixed(4).padStart(9)} ${(cpu / wasm).toFixed(2).padStart(8)}x`);
}
setBackend('cpu');
