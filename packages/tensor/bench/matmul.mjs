// GFLOPS of float32 square matmul through the built package (run `npx tsup` first):
//   node bench/matmul.mjs [sizes...]   default 128 256 512 1024
// Each size is warmed up, then timed over enough repetitions for ~0.5 s; the median is reported, since
// the machine is shared and the best or mean of a few runs is mostly noise.
import { Generator, matmul, randn } from '../dist/index.js';

const sizes = process.argv.slice(2).map(Number);
const gen = new Generator(0);
for (const n of sizes.length ? sizes : [128, 256, 512, 1024]) {
  const a = randn([n, n], { generator: gen });
  const b = randn([n, n], { generator: gen });
  const flops = 2 * n ** 3;
  matmul(a, b);
  matmul(a, b);
  const times = [];
  const reps = Math.max(3, Math.min(50, Math.ceil(0.5e9 / flops)));
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    matmul(a, b);
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  const ms = times[times.length >> 1];
  console.log(`matmul ${n}x${n} float32: ${(flops / ms / 1e6).toFixed(2)} GFLOPS (${ms.toFixed(2)} ms median of ${reps})`);
}
