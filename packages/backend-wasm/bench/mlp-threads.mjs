#!/usr/bin/env node
// Milliseconds of the MLP 784-128-64-10 matrix products through the backend (dist/) on one thread and on
// T threads (default 2), in one process and interleaved over several rounds, since the machine may be
// shared: inference at batch 256 (x·W₁ᵀ and h·W₂ᵀ) and a training step's two large products at batch 64
// (x·W₁ᵀ and the weight gradient dYᵀ·x). Each figure is the median of a round's repeated calls, then the
// best and the median over rounds. Run after `npm run build` (on Node 20 it reruns itself with
// --experimental-wasm-relaxed-simd, as the fma build is the default):
//   node bench/mlp-threads.mjs [--threads T] [--rounds R]
// Not a test: timings belong here, never in unit tests.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Generator, matmul, rand, setBackend } from '@backprop/tensor';
import { useWasmBackend } from '../dist/index.js';

const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';
if (Number(process.versions.node.split('.')[0]) < 22 && !process.execArgv.includes(RELAXED_FLAG)) {
  const run = spawnSync(process.execPath, [RELAXED_FLAG, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const threads = option('--threads', 2);
const rounds = option('--rounds', 5);

let seed = 1;
const input = (shape) => rand(shape, { generator: new Generator(seed++) });
const [x256, w1, h256, w2, x64, dy64] = [[256, 784], [128, 784], [256, 128], [64, 128], [64, 784], [64, 128]].map(input);
const products = {
  'infer x·W₁ᵀ 256×784×128': () => matmul(x256, w1, false, true),
  'infer h·W₂ᵀ 256×128×64': () => matmul(h256, w2, false, true),
  'train x·W₁ᵀ 64×784×128': () => matmul(x64, w1, false, true),
  'train dYᵀ·x 128×64×784': () => matmul(dy64, x64, true, false),
};

/** The median ms of `calls` calls of `fn`, after a warm-up. */
function medianMs(fn, calls = 40) {
  for (let i = 0; i < 10; i++) fn();
  const times = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

const results = { 1: {}, [threads]: {} };
let used = 1;
for (let r = 0; r < rounds; r++) {
  for (const t of [1, threads]) {
    const got = await useWasmBackend({ threads: t });
    if (t > 1) used = got;
    for (const [name, fn] of Object.entries(products)) (results[t][name] ??= []).push(medianMs(fn));
  }
}
setBackend('cpu');

const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${sorted[0].toFixed(3)} / ${sorted[sorted.length >> 1].toFixed(3)}`;
};
console.log(`ms per product (best / median of ${rounds} rounds), wasm×1 against wasm×${used}`);
for (const name of Object.keys(products)) {
  const one = Math.min(...results[1][name]);
  const many = Math.min(...results[threads][name]);
  console.log(`${name.padEnd(26)} ×1 ${summary(results[1][name])}   ×${used} ${summary(results[threads][name])}   ${(one / many).toFixed(2)}x`);
}
process.exit(0);
