import { describe, expect, it } from 'vitest';
import type { Tensor } from '@backprop/tensor';
import { Adadelta, Adagrad, Adam, AdamW, Adamax, NAdam, RAdam, RMSprop, SGD, type Optimizer } from '../src/index.js';
import { PARAM_NAMES, expectClose, fixture, mlp, type ParamName } from './helpers.js';

interface Case {
  name: string;
  options: Record<string, unknown>;
  groups: ({ params: ParamName[] } & Record<string, unknown>)[] | null;
  losses: number[];
  trajectory: Record<ParamName, number[]>[];
}

const CONSTRUCTORS: Record<string, new (params: any, options: any) => Optimizer<any, any>> = {
  SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, NAdam, RAdam, Adamax,
};

describe.each(Object.keys(CONSTRUCTORS))('%s matches torch.optim 1.13 in float64', (optimizer) => {
  const { cases, steps } = fixture<{ cases: Case[]; steps: number }>(`${optimizer.toLowerCase()}.json`);

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { params, loss } = mlp();
    const input = c.groups
      ? c.groups.map(({ params: names, ...options }) => ({ params: names.map((n) => params[n]), ...options }))
      : PARAM_NAMES.map((n) => params[n]);
    const opt = new CONSTRUCTORS[optimizer](input, c.options);
    expect(c.trajectory).toHaveLength(steps);
    for (let step = 0; step < steps; step++) {
      opt.zeroGrad();
      const l = loss();
      l.backward();
      opt.step();
      expectClose([l.item()], [c.losses[step]], 1e-10, 0, `loss at step ${step + 1}`);
      for (const n of PARAM_NAMES) expectClose((params[n] as Tensor).dataSync(), c.trajectory[step][n], 1e-10, 1e-14, `${n} after step ${step + 1}`);
    }
  });
});
