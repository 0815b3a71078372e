#!/usr/bin/env node
// GFLOPS of float32 matmul, n×n·n×n for n = 128…1024, on the cpu backend, the wasm backend on one
// thread and the wasm backend on T threads (default: os.availableParallelism()), in one run: the machine
// may be shared, so only numbers from the same run compare. Each figure is the best of repeated calls
// (the least disturbed by other processes). Run after `npm run build`:
//   node bench/matmul.mjs [--threads T] [sizes…]
import { availableParallelism } from 'node:os';
import { Generator, matmul, randn, setBackend } from '@backprop/tensor';
import { useWasmBackend } from '../dist/index.js';

const args = process.argv.slice(2);
const at = args.indexOf('--threads');
const threads = at >= 0 ? Number(args.splice(at, 2)[1]) : availableParallelism();
const sizes = args.length > 0 ? args.map(Number) : [128, 256, 512, 1024];

function bestSeconds(fn, minSeconds = 0.8) {
  fn(); // warm-up (JIT, arena growth)
  let best = Infinity;
  const end = performance.now() + minSeconds * 1000;
  for (let calls = 0; performance.now() < end || calls < 3; calls++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

const inputs = sizes.map((n) => {
  const g = new Generator(n);
  return [randn([n, n], { generator: g }), randn([n, n], { generator: g })];
});
const gflops = (n, seconds) => (2 * n ** 3) / seconds / 1e9;

async function measure(label, select) {
  await select();
  return sizes.map((n, i) => gflops(n, bestSeconds(() => matmul(...inputs[i]))));
}

const cpu = await measure('cpu', () => setBackend('cpu'));
const single = await measure('wasm', () => useWasmBackend({ threads: 1 }));
const usedThreads = await useWasmBackend({ threads });
const multi = usedThreads > 1 ? await measure('wasm-mt', () => useWasmBackend({ threads })) : null;
setBackend('cpu');

const head = `    n    cpu   wasm×1  speedup${multi ? `   wasm×${usedThreads}  vs ×1` : ''}`;
console.log('GFLOPS, float32 n×n·n×n, best of repeated calls');
console.log(head);
sizes.forEach((n, i) => {
  let line = `${String(n).padStart(5)} ${cpu[i].toFixed(2).padStart(6)} ${single[i].toFixed(2).padStart(8)} ${(single[i] / cpu[i]).toFixed(1).padStart(7)}x`;
  if (multi) line += ` ${multi[i].toFixed(2).padStart(9)} ${(multi[i] / single[i]).toFixed(2).padStart(5)}x`;
  console.log(line);
});
process.exit(0);
