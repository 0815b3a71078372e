import { describe, expect, it } from 'vitest';
import { Tensor, tensor } from '@backprop/tensor';
import {
  Adadelta,
  Adagrad,
  Adam,
  AdamW,
  Adamax,
  LBFGS,
  LevenbergMarquardt,
  NAdam,
  RAdam,
  RMSprop,
  SGD,
  SparseAdam,
  type Optimizer,
} from '../src/index.js';
import { PARAM_NAMES, mlp, sineFit } from './helpers.js';

type Make = (params: Tensor[]) => Optimizer<any, any>;
// Weights and biases in separate groups with different options, so group restoration is exercised too.
const grouped = (params: Tensor[], biasOptions: Record<string, unknown>) => [
  { params: [params[0], params[2]] },
  { params: [params[1], params[3]], ...biasOptions },
];

const FIRST_ORDER: [string, Make][] = [
  ['SGD', (p) => new SGD(grouped(p, { nesterov: false, dampening: 0.1 }), { lr: 0.1, momentum: 0.9, nesterov: true })],
  ['Adam', (p) => new Adam(grouped(p, { amsgrad: false }), { lr: 0.05, amsgrad: true, weightDecay: 0.01 })],
  ['AdamW', (p) => new AdamW(grouped(p, { weightDecay: 0 }), { lr: 0.05 })],
  ['RMSprop', (p) => new RMSprop(grouped(p, { momentum: 0.5 }), { centered: true })],
  ['Adagrad', (p) => new Adagrad(grouped(p, { lrDecay: 0.1 }), { lr: 0.1 })],
  ['Adadelta', (p) => new Adadelta(grouped(p, { rho: 0.5 }))],
  ['NAdam', (p) => new NAdam(grouped(p, { momentumDecay: 0.01 }), { lr: 0.05 })],
  ['RAdam', (p) => new RAdam(grouped(p, { weightDecay: 0.1 }), { lr: 0.05, betas: [0.9, 0.9] })],
  ['Adamax', (p) => new Adamax(grouped(p, { maximize: false }), { lr: 0.05 })],
  ['SparseAdam', (p) => new SparseAdam(grouped(p, { lr: 0.02 }), { lr: 0.05 })],
];

/** Runs `steps` steps; returns the parameters' values after each. */
function run(opt: Optimizer<any, any>, params: Tensor[], loss: () => Tensor, steps: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) {
    opt.step(() => {
      opt.zeroGrad();
      const l = loss();
      l.backward();
      return l;
    });
    out.push(params.flatMap((p) => Array.from(p.dataSync())));
  }
  return out;
}

function resumes(make: Make, problem: () => { params: Tensor[]; loss: () => Tensor }, steps: number, split: number): void {
  const whole = problem();
  const expected = run(make(whole.params), whole.params, whole.loss, steps);

  const first = problem();
  const firstOpt = make(first.params);
  run(firstOpt, first.params, first.loss, split);
  firstOpt.paramGroups[0].lr *= 1; // touching lr keeps the test honest: group options round-trip as they are
  const saved = JSON.stringify({ params: first.params.map((p) => Array.from(p.dataSync())), opt: firstOpt.stateDict() });

  // A fresh process: new tensors, a new optimizer, everything from the JSON text.
  const restored = JSON.parse(saved) as { params: number[][]; opt: ReturnType<Optimizer<any, any>['stateDict']> };
  const second = problem();
  second.params.forEach((p, i) => (p.dataSync() as Float64Array).set(restored.params[i]));
  const secondOpt = make(second.params);
  secondOpt.loadStateDict(restored.opt);
  const rest = run(secondOpt, second.params, second.loss, steps - split);
  expect(rest).toEqual(expected.slice(split));
}

const mlpProblem = () => {
  const { params, loss } = mlp();
  return { params: PARAM_NAMES.map((n) => params[n]), loss };
};

describe('stateDict → JSON → loadStateDict into a fresh optimizer continues the exact trajectory', () => {
  it.each(FIRST_ORDER)('%s', (_name, make) => resumes(make, mlpProblem, 8, 3));

  it('LBFGS (history and line search state)', () => {
    resumes((p) => new LBFGS(p, { lineSearchFn: 'strong_wolfe', historySize: 4, maxIter: 5 }), mlpProblem, 6, 2);
  });

  it('LevenbergMarquardt (damping λ and ν)', () => {
    const make: Make = (p) => new LevenbergMarquardt(p);
    const steps = (opt: Optimizer<any, any>, residuals: () => Tensor, n: number, params: Tensor[]) =>
      Array.from({ length: n }, () => {
        (opt as LevenbergMarquardt).step(residuals);
        return params.flatMap((p) => Array.from(p.dataSync()));
      });
    const whole = sineFit(6, 16, 5);
    const expected = steps(make(whole.params), whole.residuals, 8, whole.params);
    const first = sineFit(6, 16, 5);
    const firstOpt = make(first.params);
    steps(firstOpt, first.residuals, 4, first.params);
    const saved = JSON.parse(JSON.stringify({ params: first.params.map((p) => Array.from(p.dataSync())), opt: firstOpt.stateDict() }));
    const second = sineFit(6, 16, 5);
    second.params.forEach((p, i) => (p.dataSync() as Float64Array).set(saved.params[i]));
    const secondOpt = make(second.params);
    secondOpt.loadStateDict(saved.opt);
    expect(steps(secondOpt, second.residuals, 4, second.params)).toEqual(expected.slice(4));
  });
});

describe('the state dict', () => {
  it('is laid out as PyTorch: state by parameter index, groups with options and indices', () => {
    const { params, loss } = mlpProblem();
    const opt = new Adam(grouped(params, { lr: 0.5 }), { amsgrad: true });
    loss().backward();
    params[3].grad = null; // a parameter without a gradient gets no state, as in PyTorch
    opt.step();
    const sd = opt.stateDict();
    expect(Object.keys(sd.state).sort()).toEqual(['0', '1', '2']);
    expect(Object.keys(sd.state['0']).sort()).toEqual(['expAvg', 'expAvgSq', 'maxExpAvgSq', 'step']);
    expect(sd.state['0'].step).toBe(1);
    expect(sd.paramGroups.map((g) => g.params)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(sd.paramGroups[1]).toMatchObject({ lr: 0.5, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false });
    expect(Array.isArray(sd.state['1'].expAvg)).toBe(true);
  });

  it('loads float32 state into float32 buffers', () => {
    const p = tensor([1, 2, 3]).requiresGrad_();
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
    p.grad = tensor([0.1, 0.2, 0.3]);
    opt.step();
    const fresh = new SGD([p], { lr: 0.1, momentum: 0.9 });
    fresh.loadStateDict(JSON.parse(JSON.stringify(opt.stateDict())));
    expect(fresh.state.get(p)?.momentumBuffer?.dtype).toBe('float32');
    expect(fresh.state.get(p)?.momentumBuffer?.dataSync()).toEqual(opt.state.get(p)?.momentumBuffer?.dataSync());
  });

  it('refuses state for a different set of parameters, naming the optimizer', () => {
    const { params } = mlpProblem();
    const opt = new Adam(grouped(params, {}));
    const sd = opt.stateDict();
    expect(() => new Adam(params).loadStateDict(sd)).toThrow(/Adam: loadStateDict: the saved state has 2 parameter groups, this optimizer has 1/);
    expect(() => new Adam([{ params: params.slice(0, 3) }, { params: [params[3]] }]).loadStateDict(sd)).toThrow(
      /saved parameter group 0 has 2 parameters, this optimizer's has 3/,
    );
    loadWrongSize();
  });
});

function loadWrongSize(): void {
  const p = tensor([1, 2], 'float64').requiresGrad_();
  const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
  expect(() => opt.loadStateDict({ state: { 0: { momentumBuffer: [1, 2, 3] } }, paramGroups: [{ ...opt.stateDict().paramGroups[0] }] })).toThrow(
    /SGD: loadStateDict: state 'momentumBuffer' must hold 2 numbers, got 3 values/,
  );
}
