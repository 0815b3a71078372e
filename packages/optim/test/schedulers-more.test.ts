import { describe, expect, it } from 'vitest';
import { tensor } from '@backprop/tensor';
import {
  Adam, ChainedScheduler, CosineAnnealingLR, CosineAnnealingWarmRestarts, CyclicLR, ExponentialLR, LambdaLR, LinearLR, MultiStepLR,
  OneCycleLR, SGD, SequentialLR, StepLR, type LRScheduler, type LrLambda,
} from '../src/index.js';
import { expectClose, fixture } from './helpers.js';

interface Spec {
  scheduler: string;
  options: Record<string, any>;
}
interface Case extends Spec {
  optimizer: 'SGD' | 'Adam';
  lrs: number[][];
  momentums: number[][];
}
const { groupLrs, momentum, cases } = fixture<{ groupLrs: number[]; momentum: number; cases: Case[] }>('schedulers-more.json');

// The generator's LAMBDAS, by name.
const LAMBDAS: Record<string, LrLambda> = {
  warmup: (e) => Math.min(1, (e + 1) / 5),
  decay: (e) => 0.9 ** e,
  inverseSqrt: (e) => 1 / Math.sqrt(e + 1),
};
const SIMPLE: Record<string, new (opt: any, options: any) => LRScheduler<any>> = {
  OneCycleLR, CyclicLR, CosineAnnealingWarmRestarts, LinearLR, CosineAnnealingLR, ExponentialLR, StepLR, MultiStepLR,
};

type Schedule = { step(): void; getLastLr(): number[]; stateDict(): unknown; loadStateDict(s: never): void };

function optimizer(kind: 'SGD' | 'Adam'): SGD | Adam {
  const groups = [{ params: [tensor([0, 0])], lr: groupLrs[0] }, { params: [tensor([0])], lr: groupLrs[1] }];
  return kind === 'SGD' ? new SGD(groups, { lr: 0.1, momentum }) : new Adam(groups, { lr: 0.1 });
}

function build(opt: SGD | Adam, spec: Spec): Schedule {
  const { scheduler, options } = spec;
  if (scheduler === 'LambdaLR') {
    const names = options.lrLambda as string | string[];
    return new LambdaLR(opt, { lrLambda: Array.isArray(names) ? names.map((n) => LAMBDAS[n]) : LAMBDAS[names] });
  }
  if (scheduler === 'SequentialLR') {
    return new SequentialLR(opt, { schedulers: options.schedulers.map((s: Spec) => build(opt, s)), milestones: options.milestones });
  }
  if (scheduler === 'ChainedScheduler') return new ChainedScheduler(options.schedulers.map((s: Spec) => build(opt, s)));
  return new SIMPLE[scheduler](opt, options);
}

const momentumOf = (opt: SGD | Adam) => opt.paramGroups.map((g) => ('betas' in g ? g.betas[0] : g.momentum));
const name = (c: Case) => `${c.scheduler} ${JSON.stringify(c.options)} on ${c.optimizer}`;

describe('more learning-rate schedules match torch.optim.lr_scheduler 1.13', () => {
  it.each(cases.map((c) => [name(c), c] as const))('%s', (_name, c) => {
    const opt = optimizer(c.optimizer);
    const sched = build(opt, c);
    expectClose(opt.paramGroups.map((g) => g.lr), c.lrs[0], 1e-14, 1e-18, 'lr after construction');
    expectClose(momentumOf(opt), c.momentums[0], 1e-14, 1e-18, 'momentum after construction');
    for (let i = 1; i < c.lrs.length; i++) {
      sched.step();
      expectClose(opt.paramGroups.map((g) => g.lr), c.lrs[i], 1e-14, 1e-18, `lr after step ${i}`);
      expectClose(momentumOf(opt), c.momentums[i], 1e-14, 1e-18, `momentum after step ${i}`);
      expect(sched.getLastLr()).toEqual(opt.paramGroups.map((g) => g.lr));
    }
  });

  it.each(cases.map((c) => [name(c), c] as const))('resumes exactly from a JSON state dict: %s', (_name, c) => {
    const whole = optimizer(c.optimizer);
    const wholeSched = build(whole, c);
    const first = optimizer(c.optimizer);
    const firstSched = build(first, c);
    for (let i = 0; i < 11; i++) {
      wholeSched.step();
      firstSched.step();
    }
    const saved = JSON.parse(JSON.stringify({ opt: first.stateDict(), sched: firstSched.stateDict() }));
    const resumed = optimizer(c.optimizer);
    const resumedSched = build(resumed, c);
    resumed.loadStateDict(saved.opt);
    resumedSched.loadStateDict(saved.sched as never);
    for (let i = 11; i < c.lrs.length - 1; i++) {
      wholeSched.step();
      resumedSched.step();
      expect(resumed.paramGroups.map((g) => g.lr)).toEqual(whole.paramGroups.map((g) => g.lr));
      expect(momentumOf(resumed)).toEqual(momentumOf(whole));
    }
  });
});

describe('schedule errors name the schedule and the option', () => {
  it('OneCycleLR', () => {
    expect(() => new OneCycleLR(optimizer('SGD'), { maxLr: 0.1 })).toThrow(/OneCycleLR: give totalSteps, or epochs and stepsPerEpoch/);
    expect(() => new OneCycleLR(optimizer('SGD'), { maxLr: [0.1], totalSteps: 5 })).toThrow(/OneCycleLR: maxLr must be a number or an array of 2 numbers/);
    expect(() => new OneCycleLR(optimizer('SGD'), { maxLr: 0.1, totalSteps: 5, threephase: true } as never)).toThrow(/did you mean "threePhase"/);
    const sched = new OneCycleLR(optimizer('SGD'), { maxLr: 0.1, totalSteps: 2 });
    sched.step();
    sched.step();
    expect(() => sched.step()).toThrow(/OneCycleLR: stepped 4 times, but totalSteps is 2/);
  });

  it('CyclicLR needs momentum to cycle it, as PyTorch', () => {
    expect(() => new CyclicLR(optimizer('Adam'), { baseLr: 0.01, maxLr: 0.1 })).toThrow(/CyclicLR: cycleMomentum needs an optimizer with a momentum option/);
    expect(() => new CyclicLR(optimizer('SGD'), { baseLr: 0.01, maxLr: 0.1, mode: 'triangle' as never })).toThrow(/CyclicLR: mode must be one of/);
  });

  it('CosineAnnealingWarmRestarts, LambdaLR, SequentialLR and ChainedScheduler', () => {
    expect(() => new CosineAnnealingWarmRestarts(optimizer('SGD'), { T0: 0 })).toThrow(/CosineAnnealingWarmRestarts: T0 must be an integer >= 1/);
    expect(() => new LambdaLR(optimizer('SGD'), { lrLambda: [LAMBDAS.warmup] })).toThrow(/LambdaLR: lrLambda must be a function or an array of 2 functions/);
    const opt = optimizer('SGD');
    const parts = [new LinearLR(opt), new ExponentialLR(opt, { gamma: 0.9 })];
    expect(() => new SequentialLR(opt, { schedulers: parts, milestones: [] })).toThrow(/SequentialLR: needs 1 milestones for 2 schedules/);
    expect(() => new ChainedScheduler([parts[0], new ExponentialLR(optimizer('SGD'), { gamma: 0.9 })])).toThrow(/ChainedScheduler: schedulers\[1\] belongs to another optimizer/);
  });

  it('stepTo jumps a schedule to an epoch through its closed form', () => {
    const opt = optimizer('SGD');
    const sched = new StepLR(opt, { stepSize: 3, gamma: 0.5 });
    sched.stepTo(7);
    expect(sched.getLastLr()).toEqual([0.1 * 0.25, 0.05 * 0.25]);
    sched.stepTo(0);
    expect(sched.getLastLr()).toEqual([0.1, 0.05]);
  });
});
