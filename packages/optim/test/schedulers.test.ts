import { describe, expect, it } from 'vitest';
import { tensor } from '@backprop/tensor';
import {
  CosineAnnealingLR,
  ExponentialLR,
  LinearLR,
  MultiStepLR,
  ReduceLROnPlateau,
  SGD,
  StepLR,
  type LRScheduler,
} from '../src/index.js';
import { expectClose, fixture } from './helpers.js';

interface ScheduleCase {
  scheduler: string;
  options: Record<string, unknown>;
  lrs: number[][];
}
const { groupLrs, metrics, cases } = fixture<{ groupLrs: number[]; metrics: number[]; cases: ScheduleCase[] }>('schedulers.json');

const EPOCH_SCHEDULERS: Record<string, new (opt: SGD, options: any) => LRScheduler<any>> = {
  StepLR,
  MultiStepLR,
  ExponentialLR,
  CosineAnnealingLR,
  LinearLR,
};

function twoGroupSgd(): SGD {
  return new SGD([{ params: [tensor([0, 0])], lr: groupLrs[0] }, { params: [tensor([0])], lr: groupLrs[1] }], { lr: 0.1 });
}

type Schedule = { step(metric?: number): void; getLastLr(): number[]; stateDict(): unknown; loadStateDict(s: never): void };

function make(c: ScheduleCase, opt: SGD): Schedule {
  return (c.scheduler === 'ReduceLROnPlateau' ? new ReduceLROnPlateau(opt, c.options) : new EPOCH_SCHEDULERS[c.scheduler](opt, c.options)) as Schedule;
}

describe('learning-rate schedules match torch.optim.lr_scheduler 1.13', () => {
  it.each(cases.map((c) => [`${c.scheduler} ${JSON.stringify(c.options)}`, c] as const))('%s', (_name, c) => {
    const opt = twoGroupSgd();
    const sched = make(c, opt);
    expectClose(sched.getLastLr(), c.lrs[0], 1e-15, 0, 'lr after construction');
    for (let i = 1; i < c.lrs.length; i++) {
      sched.step(metrics[i - 1]);
      expectClose(opt.paramGroups.map((g) => g.lr), c.lrs[i], 1e-15, 1e-18, `lr after step ${i}`);
      expect(sched.getLastLr()).toEqual(opt.paramGroups.map((g) => g.lr));
    }
  });

  it.each(cases.map((c) => [`${c.scheduler} ${JSON.stringify(c.options)}`, c] as const))(
    'resumes exactly from a JSON state dict: %s',
    (_name, c) => {
      const whole = twoGroupSgd();
      const wholeSched = make(c, whole);
      const first = twoGroupSgd();
      const firstSched = make(c, first);
      for (let i = 0; i < 13; i++) {
        wholeSched.step(metrics[i]);
        firstSched.step(metrics[i]);
      }
      const saved = JSON.parse(JSON.stringify({ opt: first.stateDict(), sched: firstSched.stateDict() }));
      const resumed = twoGroupSgd();
      const resumedSched = make(c, resumed);
      resumed.loadStateDict(saved.opt);
      resumedSched.loadStateDict(saved.sched as never);
      for (let i = 13; i < metrics.length; i++) {
        wholeSched.step(metrics[i]);
        resumedSched.step(metrics[i]);
        expect(resumed.paramGroups.map((g) => g.lr)).toEqual(whole.paramGroups.map((g) => g.lr));
      }
    },
  );

  it('records initialLr once, so a second schedule chains onto the first', () => {
    const opt = twoGroupSgd();
    const warmup = new LinearLR(opt, { startFactor: 0.5, totalIters: 2 });
    const decay = new ExponentialLR(opt, { gamma: 0.5 });
    expect(opt.paramGroups[0].initialLr).toBe(0.1);
    expect(decay.getLastLr()[0]).toBeCloseTo(0.05, 15);
    warmup.step();
    decay.step();
    expect(opt.paramGroups[0].lr).toBeCloseTo(0.1 * 0.75 * 0.5, 15);
  });

  it('checks options, naming the schedule', () => {
    const opt = twoGroupSgd();
    expect(() => new StepLR(opt, { stepSize: 0 })).toThrow(/StepLR: stepSize must be an integer >= 1, got 0/);
    expect(() => new MultiStepLR(opt, { milestones: [2, -1] })).toThrow(/MultiStepLR: milestones must be an array of integers >= 0/);
    expect(() => new CosineAnnealingLR(opt, { tMax: 10, etaMin: -1 })).toThrow(/CosineAnnealingLR: etaMin must be a number >= 0, got -1/);
    expect(() => new LinearLR(opt, { startFactor: 0 })).toThrow(/LinearLR: startFactor must be a number > 0 and <= 1, got 0/);
    expect(() => new ReduceLROnPlateau(opt, { factor: 1 })).toThrow(/ReduceLROnPlateau: factor must be a number >= 0 and < 1, got 1/);
    expect(() => new ReduceLROnPlateau(opt, { mode: 'best' as never })).toThrow(/ReduceLROnPlateau: mode must be one of "min", "max", got "best"/);
    expect(() => new ReduceLROnPlateau(opt, { minLr: [0.1] })).toThrow(/minLr has 1 values, expected one per parameter group \(2\)/);
  });

  it('ReduceLROnPlateau takes a scalar tensor as the metric', () => {
    const opt = twoGroupSgd();
    const sched = new ReduceLROnPlateau(opt, { patience: 0 });
    sched.step(tensor([1]));
    sched.step(tensor([2]));
    expect(sched.getLastLr()[0]).toBeCloseTo(0.01, 15);
  });
});
