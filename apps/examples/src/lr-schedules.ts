/**
 * Learning-rate schedules from @backprop/optim, each driving an SGD optimizer (base lr 0.1, momentum 0.9)
 * for the same number of epochs: step decay (StepLR, MultiStepLR), exponential decay, cosine annealing,
 * cosine with warm restarts (SGDR), linear warm-up then cosine (SequentialLR), the triangular cyclical
 * schedule and the 1cycle policy. The schedule is stepped once per epoch after the optimizer's updates.
 *
 * The picture: the learning rate each schedule sets at every epoch, one panel per schedule.
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/lr-schedules.ts
 */
import {
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ExponentialLR,
  LinearLR,
  MultiStepLR,
  OneCycleLR,
  SGD,
  SequentialLR,
  StepLR,
} from '@backprop/optim';
import { zeros } from '@backprop/tensor';
import { pathToFileURL } from 'node:url';
import { writeFigure, type Figure } from './plot.js';

export interface LrSchedulesOptions {
  epochs?: number;
}

export interface LrSchedulesResult {
  /** The learning rate in use during each epoch, per schedule. */
  lr: Record<string, number[]>;
}

type Scheduler = { step(): void };

/** Each schedule, built over a fresh optimizer for `epochs` epochs. */
function schedules(epochs: number): Record<string, (opt: SGD) => Scheduler> {
  const third = Math.round(epochs / 3);
  return {
    StepLR: (opt) => new StepLR(opt, { stepSize: third, gamma: 0.1 }),
    MultiStepLR: (opt) => new MultiStepLR(opt, { milestones: [Math.round(epochs / 2), Math.round(0.8 * epochs)], gamma: 0.3 }),
    ExponentialLR: (opt) => new ExponentialLR(opt, { gamma: Math.pow(0.01, 1 / epochs) }),
    CosineAnnealingLR: (opt) => new CosineAnnealingLR(opt, { tMax: epochs, etaMin: 0.001 }),
    CosineAnnealingWarmRestarts: (opt) => new CosineAnnealingWarmRestarts(opt, { T0: Math.round(epochs / 7), Tmult: 2 }),
    'LinearLR warm-up + cosine': (opt) => {
      const warmup = Math.round(epochs / 10);
      return new SequentialLR(opt, {
        schedulers: [new LinearLR(opt, { startFactor: 0.1, totalIters: warmup }), new CosineAnnealingLR(opt, { tMax: epochs - warmup })],
        milestones: [warmup],
      });
    },
    CyclicLR: (opt) => new CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: Math.round(epochs / 8) }),
    OneCycleLR: (opt) => new OneCycleLR(opt, { maxLr: 0.1, totalSteps: epochs }),
  };
}

export function run(options: LrSchedulesOptions = {}): LrSchedulesResult {
  const { epochs = 100 } = options;
  const lr: Record<string, number[]> = {};
  for (const [name, make] of Object.entries(schedules(epochs))) {
    const optimizer = new SGD([zeros([1]).requiresGrad_()], { lr: 0.1, momentum: 0.9 });
    const scheduler = make(optimizer);
    lr[name] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      lr[name].push(optimizer.paramGroups[0].lr as number);
      optimizer.step(); // a training epoch would go here
      scheduler.step();
    }
  }
  return { lr };
}

export function figure(result: LrSchedulesResult): Figure {
  const values = Object.entries(result.lr).flatMap(([schedule, lrs]) => lrs.map((lr, epoch) => ({ schedule, epoch, lr })));
  return {
    title: 'Learning-rate schedules (base lr 0.1)',
    data: { values },
    facet: { field: 'schedule', type: 'nominal', title: null, sort: Object.keys(result.lr) },
    columns: 4,
    spec: {
      width: 160,
      height: 110,
      mark: 'line',
      encoding: {
        x: { field: 'epoch', type: 'quantitative' },
        y: { field: 'lr', type: 'quantitative', scale: { domain: [0, 0.1] } },
      },
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = run();
  for (const [name, lrs] of Object.entries(result.lr)) console.log(name.padEnd(28), lrs.filter((_, i) => i % 10 === 0).map((v) => v.toFixed(4)).join(' '));
  console.log(await writeFigure('lr-schedules', figure(result)));
}
