import { useWebGpuBackend } from '@backprop/backend-webgpu';
import { BatchNorm1d, Linear, ReLU, Sequential } from '@backprop/layers';
import { crossEntropy, mseLoss } from '@backprop/losses';
import { Adam, SGD } from '@backprop/optim';
import { Generator, liveDeviceMemory, randn, setBackend, tensor, type Tensor } from '@backprop/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EarlyStopping, ConfusionMatrix, evaluate, evaluateAsync, fit, mae, mse, predict, r2, type Callback, type EpochLogs } from '../src/index.js';
import { collectGarbage } from './helpers.js';

// The same model code as on cpu, trained by fit with its tensors in GPU buffers (SwiftShader without a GPU).
beforeAll(async () => {
  await useWebGpuBackend();
  setBackend('cpu');
});
afterAll(() => setBackend('cpu'));

describe('fit on webgpu', () => {
  it('trains an MLP whose parameters live on the GPU, with device memory flat across epochs', async () => {
    // The data set stays on the host, as a user's usually does; fit uploads each batch.
    const g = new Generator(0);
    const x = randn([64, 4], { generator: g });
    const y = x.narrow(1, 0, 1).mul(2).sub(x.narrow(1, 1, 1));
    setBackend('webgpu');
    const model = new Sequential(new Linear(4, 16, { generator: g }), new ReLU(), new Linear(16, 1, { generator: g }));
    const optimizer = new SGD(model.parameters(), { lr: 0.05 });
    const first = await fit(model, { data: { x, y }, loss: mseLoss, optimizer, epochs: 2, batchSize: 16, seed: 1 });
    expect(model.parameters().every((p) => p.device === 'webgpu')).toBe(true);
    await collectGarbage();
    const before = liveDeviceMemory('webgpu').allocations;
    const more = await fit(model, { data: { x, y }, loss: mseLoss, optimizer, epochs: 20, batchSize: 16, seed: 1 });
    await collectGarbage();
    const after = liveDeviceMemory('webgpu').allocations;
    expect(more.epochs.at(-1)!.loss).toBeLessThan(first.epochs[0].loss * 0.5);
    // 80 more steps, each allocating dozens of buffers: what stays alive must not grow with them.
    expect(after - before).toBeLessThan(40);
  });

  it('trains a classifier with cross-entropy on the GPU (the target-class gather runs there)', async () => {
    setBackend('cpu');
    const g = new Generator(2);
    const x = randn([96, 2], { generator: g });
    const xs = x.dataSync();
    // Three classes by angle: a task an MLP learns in a few epochs.
    const labels = Int32Array.from({ length: 96 }, (_, i) => Math.floor(((Math.atan2(xs[2 * i + 1], xs[2 * i]) + Math.PI) / (2 * Math.PI)) * 3) % 3);
    const y = tensor(labels, [96], 'int32');
    setBackend('webgpu');
    const model = new Sequential(new Linear(2, 32, { generator: g }), new ReLU(), new Linear(32, 3, { generator: g }));
    const history = await fit(model, { data: { x, y }, loss: crossEntropy, optimizer: new SGD(model.parameters(), { lr: 0.2, momentum: 0.9 }), epochs: 15, batchSize: 32, seed: 3 });
    expect(history.epochs.at(-1)!.loss).toBeLessThan(history.epochs[0].loss * 0.6);
  });
});

/** Three classes by angle (host tensors, as a user's data set usually is). */
function angles(n: number, seed: number): { x: Tensor; y: Tensor } {
  setBackend('cpu');
  const x = randn([n, 2], { generator: new Generator(seed) });
  const xs = x.dataSync();
  const labels = Int32Array.from({ length: n }, (_, i) => Math.floor(((Math.atan2(xs[2 * i + 1], xs[2 * i]) + Math.PI) / (2 * Math.PI)) * 3) % 3);
  return { x, y: tensor(labels, [n], 'int32') };
}

interface Run {
  history: EpochLogs[];
  scores: EpochLogs;
  regression: EpochLogs;
  predictions: number[];
  counts: number[][];
  device: string;
}

/** The same program on either backend: fit with validation, metrics and early stopping, then evaluate and predict. */
async function classify(backend: 'cpu' | 'webgpu'): Promise<Run> {
  const train = angles(96, 2);
  const test = angles(40, 5);
  setBackend(backend);
  const g = new Generator(4);
  const model = new Sequential(new Linear(2, 16, { generator: g }), new ReLU(), new Linear(16, 3, { generator: g }));
  const stopper = new EarlyStopping({ monitor: 'valAccuracy', patience: 20, restoreBestWeights: true });
  const fitted = await fit(model, {
    data: train, validation: test, loss: crossEntropy, optimizer: new SGD(model.parameters(), { lr: 0.2, momentum: 0.9 }),
    epochs: 6, batchSize: 32, seed: 3, metrics: ['accuracy', 'f1'], callbacks: [stopper],
  });
  // The checkpointed state of early stopping holds the best weights as plain data, on every backend.
  expect(Object.keys((stopper.getState() as { bestWeights: object }).bestWeights)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
  const scores = await evaluateAsync(model, test, { loss: 'crossEntropy', metrics: ['accuracy', 'precision', 'recall', 'top2Accuracy'], batchSize: 16 });
  const out = predict(model, test.x, { batchSize: 16 });
  const cm = new ConfusionMatrix(3);
  await cm.update(out, test.y);
  // Regression metrics of one logit column against a feature, in two batches, reduced where the logits live.
  const regression: EpochLogs = {};
  for (const metric of [mse(), mae(), r2()]) {
    for (const [start, length] of [[0, 24], [24, 16]]) await metric.update(out.narrow(0, start, length).narrow(1, 0, 1), test.x.narrow(0, start, length).narrow(1, 0, 1));
    regression[metric.name] = metric.result();
  }
  const predictions = Array.from(await out.read());
  setBackend('cpu');
  return { history: fitted.epochs, scores, regression, predictions, counts: cm.counts, device: out.device };
}

describe('evaluate, predict and metrics on webgpu', () => {
  it('give what they give on cpu: fit with validation, accuracy, F1 and early stopping, evaluateAsync and predict', async () => {
    const cpu = await classify('cpu');
    const gpu = await classify('webgpu');
    expect(cpu.device).toBe('cpu');
    expect(gpu.device).toBe('webgpu');
    expect(gpu.history.length).toBe(cpu.history.length);
    gpu.history.forEach((logs, epoch) => {
      expect(Object.keys(logs)).toEqual(['loss', 'accuracy', 'f1', 'valLoss', 'valAccuracy', 'valF1']);
      for (const key of ['loss', 'valLoss']) expect(logs[key]).toBeCloseTo(cpu.history[epoch][key], 4);
      // Counts of 96 or 40 samples: float32 rounding could flip at most a near-tie.
      for (const key of ['accuracy', 'valAccuracy']) expect(Math.abs(logs[key] - cpu.history[epoch][key])).toBeLessThanOrEqual(1 / 40 + 1e-9);
    });
    expect(cpu.history.at(-1)!.valAccuracy).toBeGreaterThan(0.7);
    for (const key of Object.keys(cpu.scores)) expect(gpu.scores[key]).toBeCloseTo(cpu.scores[key], 3);
    for (const key of ['mse', 'mae', 'r2']) expect(gpu.regression[key]).toBeCloseTo(cpu.regression[key], 4);
    expect(gpu.predictions.length).toBe(120);
    gpu.predictions.forEach((v, i) => expect(v).toBeCloseTo(cpu.predictions[i], 4));
    expect(gpu.counts).toEqual(cpu.counts);
    expect(gpu.counts.flat().reduce((a, b) => a + b, 0)).toBe(40);
  });

  it('draws batches and a validation split by indexSelect from features that live on the GPU, in the order host data gets', async () => {
    const { x, y } = angles(48, 7);
    const run = async (onDevice: boolean): Promise<EpochLogs[]> => {
      setBackend('webgpu');
      // The features on the GPU (the labels stay on the host: cross-entropy checks them there).
      const data = onDevice ? { x: x.add(0), y } : { x, y };
      expect(data.x.device).toBe(onDevice ? 'webgpu' : 'cpu');
      const model = new Sequential(new Linear(2, 8, { generator: new Generator(1) }), new ReLU(), new Linear(8, 3, { generator: new Generator(2) }));
      const history = await fit(model, { data, validation: 0.25, loss: crossEntropy, optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 3, batchSize: 8, seed: 5, metrics: ['accuracy'] });
      setBackend('cpu');
      return history.epochs;
    };
    const host = await run(false);
    const device = await run(true);
    device.forEach((logs, epoch) => {
      for (const key of Object.keys(logs)) expect(logs[key]).toBeCloseTo(host[epoch][key], 5);
    });
  });

  it('synchronous evaluate names evaluateAsync on a GPU', async () => {
    const test = angles(8, 1);
    setBackend('webgpu');
    const model = new Sequential(new Linear(2, 3, { generator: new Generator(0) }));
    expect(() => evaluate(model, test, { metrics: ['accuracy'] })).toThrow(
      "evaluate: the model's outputs are on 'webgpu', which cannot be read synchronously; use `await evaluateAsync(model, data, options)`, which runs on every backend",
    );
    setBackend('cpu');
  });
});

describe('step scopes on webgpu', () => {
  /** fit with validation, metrics and BatchNorm's running statistics (reassigned by each step), eager or compiled. */
  async function train(releaseStepTensors: boolean, compile: boolean | 'auto') {
    const data = angles(48, 7);
    const validation = angles(24, 8);
    setBackend('webgpu');
    const g = new Generator(5);
    const model = new Sequential(new Linear(2, 8, { generator: g }), new BatchNorm1d(8), new ReLU(), new Linear(8, 3, { generator: g }));
    const history = await fit(model, {
      data, validation, loss: crossEntropy, optimizer: new Adam(model.parameters(), { lr: 0.05 }), epochs: 3, batchSize: 16, seed: 2,
      metrics: ['accuracy'], compile, releaseStepTensors,
    });
    const state = await Promise.all([...model.stateDict().values()].map(async (t) => Array.from(await t.read())));
    const predictions = Array.from(await (await predict(model, validation.x)).read());
    setBackend('cpu');
    return { history: history.epochs, state, predictions, compiled: history.compile };
  }

  it('give the same history, weights, running statistics and predictions as fit without them, eager and compiled', async () => {
    const eager = await train(true, false);
    expect(eager).toEqual(await train(false, false));
    const compiled = await train(true, 'auto');
    expect(compiled.compiled?.replayed).toBeGreaterThan(0);
    expect(compiled).toEqual(await train(false, 'auto'));
  });

  it('free each step at its end: no garbage collection needed for live memory to stay at the training state', async () => {
    const data = angles(64, 9);
    setBackend('webgpu');
    const model = new Sequential(new Linear(2, 16, { generator: new Generator(1) }), new ReLU(), new Linear(16, 3, { generator: new Generator(2) }));
    const optimizer = new Adam(model.parameters(), { lr: 0.01 });
    await fit(model, { data, loss: crossEntropy, optimizer, epochs: 1, batchSize: 16, seed: 1 });
    const before = liveDeviceMemory('webgpu').allocations;
    await fit(model, { data, loss: crossEntropy, optimizer, epochs: 10, batchSize: 16, seed: 1 });
    setBackend('cpu');
    // 40 steps of dozens of buffers each, none collected by V8 on purpose.
    expect(liveDeviceMemory('webgpu').allocations - before).toBeLessThan(20);
  });

  it('are off by default for an optimizer that does not expose its state, whose momentum buffers would be freed', async () => {
    const data = angles(48, 4);
    const losses = async (wrapped: boolean) => {
      setBackend('webgpu');
      const model = new Sequential(new Linear(2, 3, { generator: new Generator(6) }));
      const sgd = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
      // A wrapper as users write one (clipping, logging): every method but `state`.
      const optimizer = wrapped
        ? { zeroGrad: (o?: { setToNone?: boolean }) => sgd.zeroGrad(o), step: () => sgd.step(), stateDict: () => sgd.stateDict(), loadStateDict: (s: never) => sgd.loadStateDict(s), paramGroups: sgd.paramGroups }
        : sgd;
      const history = await fit(model, { data, loss: crossEntropy, optimizer, epochs: 2, batchSize: 16, seed: 3 });
      setBackend('cpu');
      return history.epochs.map((e) => e.loss);
    };
    expect(await losses(true)).toEqual(await losses(false));
  });

  it('a metric that keeps a step tensor gets an error saying why, unless releaseStepTensors is false', async () => {
    const data = angles(32, 3);
    setBackend('webgpu');
    const model = new Sequential(new Linear(2, 3, { generator: new Generator(0) }));
    const keeper = { name: 'kept', last: null as Tensor | null, reset() {}, update(p: Tensor) { this.last = p; }, result: () => 0 };
    const readKept: Callback = { onBatchEnd: async () => void (await keeper.last!.read()) };
    const run = (releaseStepTensors: boolean) => fit(model, {
      data, loss: crossEntropy, optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 1, batchSize: 16, metrics: [keeper], callbacks: [readKept], releaseStepTensors,
    });
    await expect(run(true)).rejects.toThrow(/^read: the tensor's device memory on 'webgpu' was released at the end of the scope that created it \(a training step of fit; fit\(\{ releaseStepTensors: false \}\)/);
    const history = await run(false);
    setBackend('cpu');
    expect(history.epochs).toHaveLength(1);
  });
});
