// Soak test (a script, not a unit test): 10,000 training steps of a small MLP must not grow memory, which
// shows that graphs are released after backward() and nothing keeps tensors alive across steps.
// Run after building: node --expose-gc packages/autograd/bench/soak.mjs [steps]
import { Generator, matmul, randn, randint, logSoftmax, oneHot } from '@backprop/tensor';
import { noGrad } from '../dist/index.js';

const steps = Number(process.argv[2] ?? 10000);
const g = new Generator(0);
const w1 = randn([32, 64], { generator: g, std: 0.1 }).requiresGrad_();
const w2 = randn([64, 10], { generator: g, std: 0.1 }).requiresGrad_();
const x = randn([16, 32], { generator: g });
const target = oneHot(randint(0, 10, [16], { generator: g }), 10);
const gc = globalThis.gc ?? (() => undefined);
const heapMiB = () => {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

const samples = [];
for (let step = 1; step <= steps; step++) {
  const logits = matmul(matmul(x, w1).relu(), w2);
  const loss = logSoftmax(logits, -1).mul(target).sum().neg().div(16);
  loss.backward();
  noGrad(() => {
    for (const p of [w1, w2]) {
      const d = p.data;
      const gd = p.grad.data;
      for (let i = 0; i < d.length; i++) d[i] -= 0.05 * gd[i];
      p.grad = null;
    }
  });
  if (step % (steps / 10) === 0) {
    const mib = heapMiB();
    samples.push(mib);
    console.log(`step ${step}: loss ${loss.item().toFixed(4)}, heap ${mib.toFixed(2)} MiB`);
  }
}
const growth = samples.at(-1) - samples[1];
console.log(`heap growth from step ${steps / 5} to ${steps}: ${growth.toFixed(2)} MiB ${globalThis.gc ? '' : '(run with --expose-gc for exact figures)'}`);
process.exitCode = Math.abs(growth) < 5 ? 0 : 1;
