// The torch.optim golden trajectories (packages/optim/test/fixtures/<optimizer>.json, written by
// tooling/fixtures/optim/gen_*.py: the loss and every parameter after each of 8 steps on the fixtures' 3-4-2
// tanh MLP) with webgpu active: the fused update kernels run on the GPU, where the parameters and the
// optimizer state stay, and the values are read with `await t.read()`. The fixtures are float64; the
// problem runs in float32, at `FLOAT32` tolerances. SparseAdam's trajectory (sparse-adam.json) is of
// embedding lookups, whose untouched rows the update must leave alone; clip.json's gradient clipping
// (clipGradNormAsync, whose norm is read back with await, and clipGradNormTensor, which reads nothing)
// scales gradients in GPU buffers.
import '@backprop/autograd';
import * as O from '@backprop/optim';
import { indexSelect, matmul, setBackend, tensor, type Tensor } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeGpu, expectGolden, gpuTolerance, onWebGpu, readFixture } from './golden.js';
import { startWebGpu } from './helpers.js';

const NAMES = ['w1', 'b1', 'w2', 'b2'] as const;
type Name = (typeof NAMES)[number];
interface Case {
  name: string;
  options: Record<string, unknown>;
  groups: ({ params: Name[] } & Record<string, unknown>)[] | null;
  losses: number[];
  trajectory: Record<Name, number[]>[];
}
interface Problem {
  x: number[][];
  y: number[][];
  shapes: Record<Name, number[]>;
  init: Record<Name, number[]>;
}

const problem = (readFixture<never>('../../optim/test/fixtures/mlp-problem.json') as unknown as Problem);
const OPTIMIZERS = ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adadelta', 'NAdam', 'RAdam', 'Adamax'];
const CONSTRUCTORS = O as unknown as Record<string, new (params: unknown, options: unknown) => { zeroGrad(): void; step(): void }>;
// The optimizers' golden tests hold float64 to rtol 1e-10; float results widen it to `FLOAT32`.
const TOLERANCE = { rtol: 1e-10, atol: 1e-14 };

/** The fixtures' MLP in float32 at its initial parameters (host tensors; the first step moves them to the GPU). */
function mlp(): { params: Record<Name, Tensor>; loss: () => Tensor } {
  const params = Object.fromEntries(NAMES.map((n) => [n, tensor(Float32Array.from(problem.init[n]), problem.shapes[n]).requiresGrad_()])) as Record<Name, Tensor>;
  const x = tensor(problem.x);
  const y = tensor(problem.y);
  const loss = () => matmul(matmul(x, params.w1).add(params.b1).tanh(), params.w2).add(params.b2).sub(y).square().mean();
  return { params, loss };
}

const asEncoded = (data: number[], shape: number[]) => ({ shape, dtype: 'float64' as const, data });

beforeAll(startWebGpu);

describe.each(OPTIMIZERS)('%s follows torch.optim on webgpu', (optimizer) => {
  const { cases } = readFixture<Case>(`../../optim/test/fixtures/${optimizer.toLowerCase()}.json`);
  for (const c of cases) {
    it(c.name, async () => {
      const { params, loss } = mlp();
      const input = c.groups
        ? c.groups.map(({ params: names, ...options }) => ({ params: names.map((n) => params[n]), ...options }))
        : NAMES.map((n) => params[n]);
      const opt = onWebGpu(() => new CONSTRUCTORS[optimizer](input, c.options));
      for (let step = 0; step < c.trajectory.length; step++) {
        const l = onWebGpu(() => {
          opt.zeroGrad();
          const value = loss();
          value.backward();
          opt.step();
          return value;
        });
        await expectGolden(l, asEncoded([c.losses[step]], []), TOLERANCE, `loss at step ${step + 1}`);
        for (const n of NAMES) await expectGolden(params[n], asEncoded(c.trajectory[step][n], problem.shapes[n]), TOLERANCE, `${n} after step ${step + 1}`);
      }
    });
  }
});

interface SparseProblem {
  table: number[][];
  direction: number[];
  lookups: number[][];
  targets: number[][];
  cases: { name: string; options: Record<string, unknown>; losses: number[]; trajectory: number[][] }[];
}

describe('SparseAdam follows torch.optim on webgpu', () => {
  const problem = readFixture<never>('../../optim/test/fixtures/sparse-adam.json') as unknown as SparseProblem;
  const shape = [problem.table.length, problem.table[0].length];
  for (const c of problem.cases) {
    it(c.name, async () => {
      const weight = tensor(problem.table).requiresGrad_();
      const direction = tensor([problem.direction]).transpose();
      const opt = onWebGpu(() => new O.SparseAdam([weight], c.options));
      for (const [step, ids] of problem.lookups.entries()) {
        const l = onWebGpu(() => {
          opt.zeroGrad();
          const rows = indexSelect(weight, 0, tensor(ids, 'int32'));
          const value = matmul(rows, direction).flatten().sub(tensor(problem.targets[step])).square().mean();
          value.backward();
          opt.step();
          return value;
        });
        await expectGolden(l, asEncoded([c.losses[step]], []), TOLERANCE, `loss at step ${step + 1}`);
        await expectGolden(weight, asEncoded(c.trajectory[step], shape), TOLERANCE, `table after step ${step + 1}`);
      }
    });
  }
});

interface ClipCase {
  maxNorm: number;
  normType: number | 'inf';
  totalNorm: number;
  clipped: number[][];
}

describe('clipGradNormAsync and clipGradNormTensor follow clip_grad_norm_ on webgpu', () => {
  const { grads, cases } = readFixture<never>('../../optim/test/fixtures/clip.json') as unknown as { grads: number[][]; cases: ClipCase[] };
  /** Parameters whose gradients are the fixture's, in GPU buffers. */
  const withGrads = (): Tensor[] =>
    grads.map((g) => {
      const p = tensor(new Float32Array(g.length)).requiresGrad_();
      p.grad = decodeGpu(asEncoded(g, [g.length]));
      return p;
    });
  for (const c of cases) {
    it(`clipGradNormTensor, norm ${c.normType}, max ${c.maxNorm}: nothing read back until the end`, async () => {
      const params = withGrads();
      const norm = onWebGpu(() => O.clipGradNormTensor(params, c.maxNorm, c.normType));
      await expectGolden(norm, asEncoded([c.totalNorm], []), TOLERANCE, 'total norm');
      for (const [i, p] of params.entries()) await expectGolden(p.grad!, asEncoded(c.clipped[i], [c.clipped[i].length]), TOLERANCE, `gradient ${i}`);
    });
    it(`clipGradNormAsync, norm ${c.normType}, max ${c.maxNorm}`, async () => {
      const params = withGrads();
      // webgpu stays active across the await, which `onWebGpu` cannot span.
      setBackend('webgpu');
      let total: number;
      try {
        total = await O.clipGradNormAsync(params, c.maxNorm, c.normType);
      } finally {
        setBackend('cpu');
      }
      const { rtol, atol } = gpuTolerance(TOLERANCE, 'float32');
      expect(Math.abs(total - c.totalNorm)).toBeLessThanOrEqual(atol + rtol * Math.abs(c.totalNorm));
      for (const [i, p] of params.entries()) await expectGolden(p.grad!, asEncoded(c.clipped[i], [c.clipped[i].length]), TOLERANCE, `gradient ${i}`);
    });
  }
});
