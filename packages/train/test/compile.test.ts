import { afterAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '@backprop/backend-wasm';
import { Generator, compile, randn, randint, setBackend, type Tensor } from '@backprop/tensor';
import { TrainingError, fit } from '../src/index.js';
import { Conv2d, Dropout, Flatten, LSTM, LastTimeStep, Linear, MaxPool2d, ReLU, Sequential, Sigmoid, Tanh, type Module } from '@backprop/layers';
import { crossEntropy, mseLoss } from '@backprop/losses';
import { Adam } from '@backprop/optim';
import { mlp, weightsOf } from './helpers.js';

afterAll(() => setBackend('cpu'));

// A compiled training step (forward, loss, backward) against the same step run eagerly, on two copies of
// one seeded model: every loss, gradient and parameter after several optimizer steps must agree bit for bit
// (the fused loops round where the kernels they replace round).

type Step = (x: Tensor, y: Tensor) => Tensor;

function stepOf(model: Module<[Tensor], Tensor>, loss: (p: Tensor, y: Tensor) => Tensor): Step {
  return (x, y) => {
    const l = loss(model.call(x), y);
    l.backward();
    return l;
  };
}

function values(ts: readonly (Tensor | null)[]): number[][] {
  return ts.map((t) => Array.from(t!.dataSync()));
}

/** Runs `batches` through eager and compiled copies with Adam; returns the compiled function for inspection. */
function compare(make: () => Module<[Tensor], Tensor>, loss: (p: Tensor, y: Tensor) => Tensor, batches: [Tensor, Tensor][]) {
  const eagerModel = make();
  const compiledModel = make();
  const eagerOpt = new Adam(eagerModel.parameters(), { lr: 0.01 });
  const compiledOpt = new Adam(compiledModel.parameters(), { lr: 0.01 });
  const eagerStep = stepOf(eagerModel, loss);
  const compiledStep = compile(stepOf(compiledModel, loss));
  const calls: string[] = [];
  for (const [x, y] of batches) {
    eagerOpt.zeroGrad();
    compiledOpt.zeroGrad();
    const a = eagerStep(x, y);
    const b = compiledStep(x, y);
    calls.push(compiledStep.lastCall!);
    expect(b.dataSync()).toEqual(a.dataSync());
    expect(values(compiledModel.parameters().map((p) => p.grad))).toEqual(values(eagerModel.parameters().map((p) => p.grad)));
    eagerOpt.step();
    compiledOpt.step();
    expect(values(compiledModel.parameters())).toEqual(values(eagerModel.parameters()));
  }
  return { compiledStep, calls };
}

function batchesOf(shapeX: number[], classes: number | null, count: number, seed: number, last?: number): [Tensor, Tensor][] {
  const generator = new Generator(seed);
  const out: [Tensor, Tensor][] = [];
  for (let i = 0; i < count; i++) {
    const n = i === count - 1 && last !== undefined ? last : shapeX[0];
    const x = randn([n, ...shapeX.slice(1)], { generator });
    const y = classes === null ? randn([n, 1], { generator }) : randint(0, classes, [n], { generator });
    out.push([x, y]);
  }
  return out;
}

describe('compile: a training step replayed matches eager mode', () => {
  it('an MLP with relu, tanh and sigmoid (MSE): loss, gradients and parameters over five Adam steps; fused', () => {
    const make = () => {
      const g = new Generator(1);
      return new Sequential(new Linear(6, 16, { generator: g }), new ReLU(), new Linear(16, 16, { generator: g }), new Tanh(),
        new Linear(16, 8, { generator: g }), new Sigmoid(), new Linear(8, 1, { generator: g }));
    };
    const { compiledStep, calls } = compare(make, mseLoss, batchesOf([12, 6], null, 5, 2));
    expect(calls).toEqual(['traced', 'replayed', 'replayed', 'replayed', 'replayed']);
    const plan = compiledStep.plan!;
    expect(plan.fusedLoops).toBeGreaterThan(0);
    expect(plan.steps).toBe(plan.kernels - plan.fusedKernels + plan.fusedLoops);
    expect(plan.steps).toBeLessThan(plan.kernels);
  });

  it('a cross-entropy MLP retraces for the last partial batch and replays both shapes', () => {
    const batches = batchesOf([8, 4], 3, 3, 3, 5);
    const { compiledStep, calls } = compare(() => mlp([4, 10, 3], 4), crossEntropy, [...batches, ...batches]);
    expect(calls).toEqual(['traced', 'replayed', 'traced', 'replayed', 'replayed', 'replayed']);
    expect(compiledStep.calls).toEqual({ traced: 2, replayed: 4, eager: 0 });
  });

  it('an LSTM classifier step', () => {
    const make = () => {
      const g = new Generator(5);
      return new Sequential(new LSTM(3, 6, { batchFirst: true, generator: g, outputOnly: true }), new LastTimeStep(), new Linear(6, 2, { generator: g }));
    };
    const { calls } = compare(make, crossEntropy, batchesOf([4, 5, 3], 2, 4, 6));
    expect(calls.slice(1)).toEqual(['replayed', 'replayed', 'replayed']);
  });

  it('a CNN step (conv, relu, max pooling, linear)', () => {
    const make = () => {
      const g = new Generator(7);
      return new Sequential(new Conv2d(1, 3, 3, { generator: g }), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(12, 2, { generator: g }));
    };
    const { calls } = compare(make, crossEntropy, batchesOf([3, 1, 6, 6], 2, 3, 8));
    expect(calls.slice(1)).toEqual(['replayed', 'replayed']);
  });
});

/** An MLP step that zeroes the gradients itself and, with `optimizerStep`, also steps the optimizer. */
function selfContainedStep(optimizerStep: boolean) {
  const model = mlp([2, 3, 1], 0);
  const opt = new Adam(model.parameters());
  return compile((x: Tensor, y: Tensor) => {
    opt.zeroGrad();
    const loss = mseLoss(model.call(x), y);
    loss.backward();
    if (optimizerStep) opt.step();
    return loss;
  });
}

describe('compile: runs that cannot be replayed run eagerly and say why', () => {
  it('dropout draws random numbers', () => {
    const model = new Sequential(new Linear(3, 4, { generator: new Generator(0) }), new Dropout(0.5, { generator: new Generator(1) }));
    const step = compile((x: Tensor) => model.call(x).sum());
    const x = randn([2, 3], { generator: new Generator(2) });
    step(x);
    step(x);
    expect(step.lastCall).toBe('eager');
    expect(step.reason).toMatch(/random numbers/);
  });

  it('an optimizer step inside the function', () => {
    const step = selfContainedStep(true);
    step(randn([4, 2]), randn([4, 1]));
    expect(step.reason).toMatch(/optimizer\.step\(\) outside/);
  });
});

describe('compile: arguments that require gradients', () => {
  it("gives each call's argument its own .grad, as eager mode does", () => {
    const w = randn([3], { generator: new Generator(30) });
    const fn = (x: Tensor) => {
      const l = x.mul(x).mul(w).sum();
      l.backward();
      return l;
    };
    const f = compile(fn);
    const calls = [];
    for (let i = 0; i < 3; i++) {
      const values = randn([3], { generator: new Generator(31 + i) });
      const eager = values.clone().requiresGrad_();
      const compiled = values.clone().requiresGrad_();
      expect(f(compiled).dataSync()).toEqual(fn(eager).dataSync());
      expect(compiled.grad!.dataSync()).toEqual(eager.grad!.dataSync());
      calls.push(f.lastCall);
    }
    expect(calls).toEqual(['traced', 'replayed', 'replayed']);
    // An argument that already holds a gradient would be accumulated into: that runs eagerly.
    const held = randn([3]).requiresGrad_();
    fn(held);
    f(held);
    expect(f.lastCall).toBe('eager');
    expect(f.reason).toMatch(/argument 0 requires a gradient and already has one/);
    // …and only that signature: a fresh argument replays again.
    f(randn([3]).requiresGrad_());
    expect(f.lastCall).toBe('replayed');
  });
});

describe('compile: zeroGrad inside the function', () => {
  it('keeps tracing while .grad differs from the trace, then runs eagerly and says to call zeroGrad outside', () => {
    const step = selfContainedStep(false);
    const calls = [];
    for (let i = 0; i < 6; i++) {
      step(randn([4, 2], { generator: new Generator(i) }), randn([4, 1], { generator: new Generator(i) }));
      calls.push(step.lastCall);
    }
    expect(calls).toEqual(['traced', 'traced', 'traced', 'traced', 'eager', 'eager']);
    expect(step.reason).toMatch(/zeroGrad\(\) outside/);
  });
});

describe('compile on the wasm backend', () => {
  it('replays an MLP and an LSTM step as eager wasm computes them', async () => {
    await useWasmBackend();
    try {
      const { calls } = compare(() => mlp([4, 12, 3], 9, 'tanh'), crossEntropy, batchesOf([8, 4], 3, 3, 10));
      expect(calls).toEqual(['traced', 'replayed', 'replayed']);
      const make = () => new Sequential(new LSTM(2, 5, { batchFirst: true, generator: new Generator(11), outputOnly: true }), new LastTimeStep(), new Linear(5, 1, { generator: new Generator(12) }));
      const lstm = compare(make, mseLoss, batchesOf([6, 3, 2], null, 3, 13));
      expect(lstm.calls).toEqual(['traced', 'replayed', 'replayed']);
    } finally {
      setBackend('cpu');
    }
  });
});

describe('fit with compile', () => {
  const data = () => {
    const generator = new Generator(20);
    // 50 samples in batches of 16: the last batch has 2, a second signature.
    return { x: randn([50, 5], { generator }), y: randint(0, 3, [50], { generator }) };
  };

  it("'auto' trains to the same history and weights as eager mode, and says what it did", async () => {
    const run = async (compile: boolean | 'auto') => {
      const model = mlp([5, 16, 3], 21);
      const history = await fit(model, { loss: 'crossEntropy', optimizer: new Adam(model.parameters(), { lr: 0.01 }), data: data(), epochs: 3, batchSize: 16, seed: 1, metrics: ['accuracy'], compile });
      return { history, weights: weightsOf(model) };
    };
    const eager = await run(false);
    const compiled = await run('auto');
    expect(compiled.history.epochs).toEqual(eager.history.epochs);
    expect(compiled.weights).toEqual(eager.weights);
    expect(eager.history.compile).toBeUndefined();
    expect(compiled.history.compile).toEqual({ traced: 2, replayed: 10, eager: 0, reason: null });
  });

  it("'auto' runs a model with dropout eagerly and records why; true makes that an error", async () => {
    const make = () => new Sequential(new Linear(5, 8, { generator: new Generator(0) }), new Dropout(0.2, { generator: new Generator(1) }), new Linear(8, 3, { generator: new Generator(2) }));
    const model = make();
    const history = await fit(model, { loss: 'crossEntropy', optimizer: new Adam(model.parameters()), data: data(), epochs: 1, batchSize: 16, compile: 'auto' });
    expect(history.compile).toMatchObject({ traced: 0, replayed: 0, eager: 4 });
    expect(history.compile!.reason).toMatch(/random numbers/);
    const strict = make();
    await expect(fit(strict, { loss: 'crossEntropy', optimizer: new Adam(strict.parameters()), data: data(), epochs: 1, compile: true })).rejects.toThrow(TrainingError);
  });
});
