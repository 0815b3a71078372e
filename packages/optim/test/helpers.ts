// Shared by the tests: fixture loading, the fixtures' MLP problem, and float comparison.
import { readFileSync } from 'node:fs';
import { Generator, Tensor, linspace, matmul, randn, tensor, zeros } from '@backprop/tensor';
import { expect } from 'vitest';

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

interface MlpProblem {
  x: number[][];
  y: number[][];
  shapes: Record<string, number[]>;
  init: Record<string, number[]>;
}

const problem = fixture<MlpProblem>('mlp-problem.json');
export const PARAM_NAMES = ['w1', 'b1', 'w2', 'b2'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

/** The fixtures' 3-4-2 tanh MLP in float64, at its initial parameters. */
export function mlp(): { params: Record<ParamName, Tensor>; loss: () => Tensor } {
  const params = Object.fromEntries(
    PARAM_NAMES.map((n) => [n, tensor(Float64Array.from(problem.init[n]), problem.shapes[n]).requiresGrad_()]),
  ) as Record<ParamName, Tensor>;
  const x = tensor(problem.x, 'float64');
  const y = tensor(problem.y, 'float64');
  const loss = () => matmul(matmul(x, params.w1).add(params.b1).tanh(), params.w2).add(params.b2).sub(y).square().mean();
  return { params, loss };
}

/**
 * A 1-h-1 tanh network fitting sin on [−3, 3] (`points` samples), float64, seeded: the regression problem
 * of the second-order tests. `residuals` is net(x) − y; `loss` its mean square.
 */
export function sineFit(hidden = 8, points = 24, seed = 1) {
  const generator = new Generator(seed);
  const x = linspace(-3, 3, points, { dtype: 'float64' }).reshape([points, 1]);
  const y = x.sin();
  const params = [
    randn([1, hidden], { dtype: 'float64', generator }).requiresGrad_(),
    randn([hidden], { dtype: 'float64', generator }).requiresGrad_(),
    randn([hidden, 1], { dtype: 'float64', generator, std: 1 / Math.sqrt(hidden) }).requiresGrad_(),
    zeros([1], { dtype: 'float64' }).requiresGrad_(),
  ];
  const [w1, b1, w2, b2] = params;
  const residuals = () => matmul(matmul(x, w1).add(b1).tanh(), w2).add(b2).sub(y).flatten();
  const loss = () => residuals().square().mean();
  return { params, residuals, loss };
}

/** Asserts |a − e| ≤ atol + rtol·|e| elementwise, reporting the first offending index. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-10, atol = 1e-14, what = ''): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const ok = Math.abs(actual[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]);
    if (!ok) expect.fail(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]} (rtol ${rtol})`);
  }
}
