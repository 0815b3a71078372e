// Training throughput of LeNet-5 on the CPU backend, through the built packages (run `npx tsup` in
// packages/tensor and packages/autograd first):   node bench/conv.mjs [batch]   default 32
// "conv/pool" times forward + backward of conv 5×5×6, ReLU, maxpool 2, conv 5×5×16, ReLU, maxpool 2 on
// 1×28×28 inputs (the input needs no gradient, as in training); "full step" adds the dense layers
// 256-120-84-10 and a log-softmax loss. Each is warmed up, then the best and the median of repeated runs are
// reported, since the machine is shared and the mean of a few runs is mostly noise.
import { Generator, conv2d, logSoftmax, matmul, maxPool2d, mul, randn, relu, sum, zeros } from '../dist/index.js';
import '../../autograd/dist/index.js';

const batch = Number(process.argv[2] ?? 32);
const gen = new Generator(0);
const param = (shape, fanIn) => mul(randn(shape, { generator: gen }), 1 / Math.sqrt(fanIn)).requiresGrad_();
const p = {
  w1: param([6, 1, 5, 5], 25), b1: zeros([6]).requiresGrad_(),
  w2: param([16, 6, 5, 5], 150), b2: zeros([16]).requiresGrad_(),
  w3: param([256, 120], 256), w4: param([120, 84], 120), w5: param([84, 10], 84),
};
const x = randn([batch, 1, 28, 28], { generator: gen });
const features = () => {
  const h = maxPool2d(relu(conv2d(x, p.w1, p.b1)), { kernelSize: 2 });
  return maxPool2d(relu(conv2d(h, p.w2, p.b2)), { kernelSize: 2 });
};
const projection = randn([batch, 16, 4, 4], { generator: gen });
const oneHot = zeros([batch, 10]);
for (let n = 0; n < batch; n++) oneHot.data[n * 10 + (n % 10)] = -1 / batch;

const steps = {
  'conv/pool': () => sum(mul(features(), projection)).backward(),
  'full step': () => {
    const f = features().reshape([batch, 256]);
    const logits = matmul(relu(matmul(relu(matmul(f, p.w3)), p.w4)), p.w5);
    sum(mul(logSoftmax(logits, 1), oneHot)).backward();
  },
};

for (const [name, step] of Object.entries(steps)) {
  for (let i = 0; i < 5; i++) step();
  const times = [];
  const deadline = performance.now() + 3000;
  while (times.length < 10 || (performance.now() < deadline && times.length < 200)) {
    for (const t of Object.values(p)) t.grad = null;
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const rate = (ms) => (batch / (ms / 1000)).toFixed(0);
  const median = times[times.length >> 1];
  // The best run is the closest to the uncontended speed on a busy machine; the median shows the contention.
  console.log(
    `LeNet-5 ${name}, batch ${batch}: ${rate(times[0])} samples/s best, ${rate(median)} median (${times[0].toFixed(2)} / ${median.toFixed(2)} ms of ${times.length} runs)`,
  );
}
