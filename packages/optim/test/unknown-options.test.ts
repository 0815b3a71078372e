import { describe, expect, it } from 'vitest';
import { tensor, ValueError } from '@backprop/tensor';
import {
  Adadelta, Adagrad, Adam, AdamW, Adamax, CosineAnnealingLR, NAdam, RAdam, SparseAdam, ExponentialLR, LBFGS, LevenbergMarquardt, LinearLR, MultiStepLR, RMSprop,
  ReduceLROnPlateau, SGD, StepLR, UnknownOptionError,
} from '../src/index.js';

const param = () => tensor(Float64Array.from([1, 2])).requiresGrad_();
/** Options with a key the option types do not have, as a JSON config or a JavaScript caller would pass. */
const loose = (options: unknown) => options as never;

/** Each optimizer with one valid option of its own, and the options it should list as valid. */
const OPTIMIZERS: [string, (options: Record<string, unknown>) => { optionNames: readonly string[] }, string[]][] = [
  ['SGD', (o) => new SGD([param()], loose({ lr: 0.1, ...o })), ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize']],
  ['Adam', (o) => new Adam([param()], loose(o)), ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize']],
  ['AdamW', (o) => new AdamW([param()], loose(o)), ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize']],
  ['RMSprop', (o) => new RMSprop([param()], loose(o)), ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize']],
  ['Adagrad', (o) => new Adagrad([param()], loose(o)), ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps', 'maximize']],
  ['Adadelta', (o) => new Adadelta([param()], loose(o)), ['lr', 'rho', 'eps', 'weightDecay', 'maximize']],
  ['NAdam', (o) => new NAdam([param()], loose(o)), ['lr', 'betas', 'eps', 'weightDecay', 'momentumDecay']],
  ['RAdam', (o) => new RAdam([param()], loose(o)), ['lr', 'betas', 'eps', 'weightDecay']],
  ['Adamax', (o) => new Adamax([param()], loose(o)), ['lr', 'betas', 'eps', 'weightDecay', 'maximize']],
  ['SparseAdam', (o) => new SparseAdam([param()], loose(o)), ['lr', 'betas', 'eps', 'maximize']],
  ['LBFGS', (o) => new LBFGS([param()], loose(o)), ['lr', 'maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'historySize', 'lineSearchFn']],
  ['LevenbergMarquardt', (o) => new LevenbergMarquardt([param()], loose(o)), ['lambda', 'damping', 'maxTries']],
];

/** The error `make` throws (fails the test if it throws none). */
function errorOf(make: () => unknown): UnknownOptionError {
  try {
    make();
  } catch (e) {
    return e as UnknownOptionError;
  }
  return expect.fail('expected an error');
}

describe('optimizers reject option keys they do not know', () => {
  it.each(OPTIMIZERS)('%s names itself, the unknown key and every valid option', (name, make, valid) => {
    const e = errorOf(() => make({ colour: 'red' }));
    expect(e).toBeInstanceOf(UnknownOptionError);
    expect(e).toBeInstanceOf(ValueError);
    expect(e).toMatchObject({ owner: name, key: 'colour', known: valid, suggestion: undefined });
    expect(e.message).toBe(`${name}: unknown option "colour" (valid options: ${valid.join(', ')})`);
    // Every listed option is accepted (with its default value, so the checks of values pass).
    expect(() => make({})).not.toThrow();
    expect(make({}).optionNames).toEqual(valid);
  });

  it('suggests the closest option: a typo, another case, or PyTorch snake_case', () => {
    expect(errorOf(() => new SGD([param()], loose({ lr: 0.1, weightdecay: 1e-4 }))).message).toBe(
      'SGD: unknown option "weightdecay"; did you mean "weightDecay"? (valid options: lr, momentum, dampening, weightDecay, nesterov, maximize)',
    );
    expect(errorOf(() => new SGD([param()], loose({ lr: 0.1, momentun: 0.9 }))).suggestion).toBe('momentum');
    expect(errorOf(() => new Adam([param()], loose({ beta: [0.9, 0.99] }))).suggestion).toBe('betas');
    expect(errorOf(() => new Adam([param()], loose({ weight_decay: 0.1 }))).suggestion).toBe('weightDecay');
    expect(errorOf(() => new Adagrad([param()], loose({ initial_accumulator_value: 0.1 }))).suggestion).toBe('initialAccumulatorValue');
    expect(errorOf(() => new LBFGS([param()], loose({ line_search_fn: 'strong_wolfe' }))).suggestion).toBe('lineSearchFn');
    // Nothing close: no guess.
    expect(errorOf(() => new Adam([param()], loose({ learningRate: 0.1 }))).suggestion).toBeUndefined();
  });

  it('checks parameter groups too, naming the group; params and initialLr are allowed there', () => {
    const e = errorOf(() => new SGD([{ params: [param()] }, loose({ params: [param()], lr: 0.1, nesterow: true })], { lr: 0.1 }));
    expect(e.message).toMatch(/^SGD: unknown option "nesterow" \(parameter group 1\); did you mean "nesterov"\?/);
    const opt = new Adam([param()]);
    expect(() => opt.addParamGroup(loose({ params: [param()], amsGrad: true }))).toThrow(/Adam: unknown option "amsGrad" \(parameter group 1\); did you mean "amsgrad"\?/);
    // A group copied from another optimizer's paramGroups carries initialLr (set by a schedule).
    new StepLR(opt, { stepSize: 1 });
    expect(() => new Adam(opt.paramGroups.map((g) => ({ ...g, params: [param()] })))).not.toThrow();
  });

  it('refuses options that are not an object', () => {
    expect(() => new Adam([param()], loose(null))).toThrow(/^Adam: options must be an object \{ lr, betas, eps, weightDecay, amsgrad, maximize \}, got null$/);
    expect(() => new SGD([param()], loose([0.1]))).toThrow(/SGD: options must be an object .* got an array/);
  });
});

describe('schedules reject option keys they do not know', () => {
  const opt = () => new SGD([param()], { lr: 0.1 });
  it.each([
    ['StepLR', () => new StepLR(opt(), loose({ stepSize: 2, step_size: 3 })), 'step_size', 'stepSize', 'stepSize, gamma'],
    ['MultiStepLR', () => new MultiStepLR(opt(), loose({ milestones: [1], gamma: 0.5, gama: 0.1 })), 'gama', 'gamma', 'milestones, gamma'],
    ['ExponentialLR', () => new ExponentialLR(opt(), loose({ gamma: 0.9, gammma: 1 })), 'gammma', 'gamma', 'gamma'],
    ['CosineAnnealingLR', () => new CosineAnnealingLR(opt(), loose({ tMax: 10, eta_min: 0.01 })), 'eta_min', 'etaMin', 'tMax, etaMin'],
    ['LinearLR', () => new LinearLR(opt(), loose({ totalIter: 4 })), 'totalIter', 'totalIters', 'startFactor, endFactor, totalIters'],
    ['ReduceLROnPlateau', () => new ReduceLROnPlateau(opt(), loose({ min_lr: 0.001 })), 'min_lr', 'minLr', 'mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps'],
  ])('%s', (name, make, key, suggestion, valid) => {
    const e = errorOf(make);
    expect(e).toBeInstanceOf(UnknownOptionError);
    expect(e.message).toBe(`${name}: unknown option "${key}"; did you mean "${suggestion}"? (valid options: ${valid})`);
  });

  it('accepts every documented option, and says what a missing options object should hold', () => {
    const o = opt();
    expect(() => new ReduceLROnPlateau(o, { mode: 'max', factor: 0.5, patience: 2, threshold: 0.01, thresholdMode: 'abs', cooldown: 1, minLr: 0.001, eps: 1e-9 })).not.toThrow();
    expect(() => new LinearLR(o, { startFactor: 0.5, endFactor: 1, totalIters: 3 })).not.toThrow();
    expect(() => new CosineAnnealingLR(o, { tMax: 5, etaMin: 0.001 })).not.toThrow();
    expect(() => new StepLR(o, loose(undefined))).toThrow(/^StepLR: options must be an object \{ stepSize, gamma \}, got undefined$/);
  });
});
