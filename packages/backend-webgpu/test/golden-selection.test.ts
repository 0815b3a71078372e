// The PyTorch golden cases of the sorting, scan, norm, einsum, logic and structure ops
// (packages/tensor/test/fixtures/selection.json, values, and packages/autograd/test/fixtures/selection-grads.json,
// gradients; written by tooling/fixtures/tensor/gen_selection.py) with webgpu active: inputs in GPU buffers,
// results and gradients read with `await t.read()`, float64 cases run in float32 at `FLOAT32` tolerances.
// `nonzero` and `unique` have results whose size depends on the values, so webgpu has no kernel for them:
// with the input on the GPU they throw, naming the kernel; with it on the host they run on cpu.
import '@backprop/autograd';
import { gradients } from '@backprop/autograd';
import * as T from '@backprop/tensor';
import type { Tensor } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectionOps, type SelectionGradCase, type SelectionValueCase } from '../../tensor/test/selection-table.js';
import { webgpuFallbacks } from '../src/index.js';
import { decodeGpu, decodeHost, expectGolden, onWebGpu, readFixture, type Encoded, type Tolerance } from './golden.js';
import { startWebGpu } from './helpers.js';

type Expected = Encoded | Encoded[] | Record<string, Encoded>;

type ValueCase = SelectionValueCase<Encoded>;
type GradCase = SelectionGradCase<Encoded>;

const values = readFixture<ValueCase>('../../tensor/test/fixtures/selection.json');
const grads = readFixture<GradCase>('../../autograd/test/fixtures/selection-grads.json');
const OPS = selectionOps(T);
/** The ops whose result size depends on the values: cpu-only kernels. */
const HOST_ONLY = ['nonzero', 'unique'];

/** Compares a result of any of the fixture's forms: one tensor, a list, or named tensors. */
async function expectResult(out: unknown, e: Expected, tol: Tolerance, device: string | null): Promise<void> {
  if (Array.isArray(e)) {
    const outs = out as Tensor[];
    expect(outs).toHaveLength(e.length);
    for (const [i, w] of e.entries()) await expectGolden(outs[i], w, tol, `result ${i}`, device);
  } else if ('dtype' in e) {
    await expectGolden(out as Tensor, e as Encoded, tol, 'result', device);
  } else {
    const outs = out as Record<string, Tensor | undefined>;
    expect(Object.keys(outs).filter((k) => outs[k] !== undefined).sort()).toEqual(Object.keys(e).sort());
    for (const [k, w] of Object.entries(e)) await expectGolden(outs[k], w, tol, k, device);
  }
}

/**
 * Whether the op's result is a constant made without a kernel, as creation ops make them: on the host
 * (the first kernel given it uploads it). isnan, isinf and isfinite of an integer tensor are all false (or
 * all true) whatever its values.
 */
const constantFor = (c: { op: string; inputs: Encoded[] }): boolean => ['isnan', 'isinf', 'isfinite'].includes(c.op) && c.inputs[0].dtype === 'int32';
/** floor, ceil and round have zero gradients (as in PyTorch), made by zerosLike on the host. */
const ZERO_GRADIENT = ['floor', 'ceil', 'round'];

beforeAll(startWebGpu);

describe(`sorting, scans, norms, einsum, logic and structure ops match PyTorch ${values.torch} on webgpu`, () => {
  it('webgpu lacks exactly the kernels of the value-sized ops, of all the cpu kernels', () => {
    expect(webgpuFallbacks()).toEqual(HOST_ONLY);
  });
  for (const c of values.cases) {
    if (HOST_ONLY.includes(c.op)) {
      it(`${c.name}: throws naming the kernel for a GPU input, runs on cpu for a host one`, async () => {
        const gpu = c.inputs.map(decodeGpu);
        expect(() => onWebGpu(() => OPS[c.op](gpu, c.attrs))).toThrow(new RegExp(`\\b${c.op}\\b.*await`));
        // The kernel runs on cpu; what the op does with its result after (unique's indexSelect of the
        // values, nonzero's split into a tuple) runs on webgpu, so the results may be on either.
        const host = c.inputs.map(decodeHost);
        await expectResult(onWebGpu(() => OPS[c.op](host, c.attrs)), c.expected, c, null);
      });
      continue;
    }
    it(c.name, async () => {
      const inputs = c.inputs.map(decodeGpu);
      await expectResult(onWebGpu(() => OPS[c.op](inputs, c.attrs)), c.expected, c, constantFor(c) ? 'cpu' : 'webgpu');
    });
  }
});

describe(`gradients of sorting, scans, norms, einsum and structure ops match PyTorch ${grads.torch} on webgpu`, () => {
  for (const c of grads.cases) {
    it(c.name, async () => {
      const inputs = c.inputs.map((x) => decodeGpu(x).requiresGrad_());
      const weight = decodeGpu(c.weight);
      const found = onWebGpu(() => {
        const out = OPS[c.op](inputs, c.attrs);
        // sort, topk, cummax and cummin return values and indices: the values are differentiated.
        const differentiable = (out instanceof T.Tensor ? out : out.values) as Tensor;
        return gradients(T.sum(T.mul(differentiable, weight)), inputs);
      });
      const wanted = c.grads.filter((g): g is Encoded => g !== null);
      expect(found).toHaveLength(wanted.length);
      const device = ZERO_GRADIENT.includes(c.op) ? 'cpu' : 'webgpu';
      for (const [i, g] of found.entries()) await expectGolden(g, wanted[i], c, `gradient of input ${i}`, device);
    });
  }
});
