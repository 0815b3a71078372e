#!/usr/bin/env node
// Milliseconds per call of the elementwise and softmax kernels on cpu and wasm, in one run, at several
// sizes: the evidence for which kernels the wasm backend registers and for its small-size cutoff.
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

console.log('kernel                    cpu ms    wasm ms   speedup');
for (const [name, fn] of cases) {
  setBackend('cpu');
  const cpu = time(fn);
  setBackend('wasm');
  const wasm = time(fn);
  console.log(`${name.padEnd(24)} ${cpu.toFixed(4).padStart(8)} ${wasm.toFixed(4).padStart(9)} ${(cpu / wasm).toFixed(2).padStart(8)}x`);
}
setBackend('cpu');
