#!/usr/bin/env node
// Soak test of the memory model: 10,000 matmul + relu steps on the wasm backend with no dispose() anywhere,
// printing the WebAssembly memory size at the start, the middle and the end. The arena is reused by every
// call, so after the first (warm-up) step the size must not change. Exits 1 if it does.
// Run after `npm run build`: node bench/soak.mjs [steps]
import { Generator, matmul, randn, relu, setBackend } from '@backprop/tensor';
import { useWasmBackend, wasmMemoryBytes } from '../dist/index.js';

const steps = Number(process.argv[2] ?? 10000);
await useWasmBackend();
const g = new Generator(7);
const w = randn([256, 128], { generator: g });
let x = randn([64, 256], { generator: g });
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;

console.log(`start (before any kernel): ${mib(await wasmMemoryBytes())}`);
let warm = 0;
for (let step = 1; step <= steps; step++) {
  // A fresh input every step, as a training loop would produce; the result is dropped for the GC.
  const h = relu(matmul(x, w));
  if (step % 97 === 0) x = randn([64, 256], { generator: g });
  if (h.shape[1] !== 128) throw new Error('unexpected shape');
  if (step === 1) {
    warm = await wasmMemoryBytes();
    console.log(`after step 1 (warm):       ${mib(warm)}`);
  }
  if (step === steps / 2) console.log(`middle (step ${step}):      ${mib(await wasmMemoryBytes())}`);
}
const end = await wasmMemoryBytes();
console.log(`end (step ${steps}):        ${mib(end)}`);
console.log(`JS heap used: ${mib(process.memoryUsage().heapUsed)}`);
setBackend('cpu');
if (end !== warm) {
  console.error('FAIL: wasm memory grew after warm-up');
  process.exit(1);
}
console.log('OK: wasm memory flat after warm-up');
