// The PyTorch golden cases of the core ops (packages/tensor/test/fixtures/core.json, values, and
// packages/autograd/test/fixtures/core-grads.json, gradients; written by tooling/fixtures/tensor/gen_core.py)
// with webgpu active: inputs in GPU buffers, results and gradients read with `await t.read()`. Cases written
// in float64 run in float32 (WGSL has none), a float64 dtype attribute included; float results are held
// to `FLOAT32` tolerances (golden.ts says why).
import '@backprop/autograd';
import { gradients } from '@backprop/autograd';
import * as T from '@backprop/tensor';
import type { DType, Tensor } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { coreOps, type CoreGradCase, type CoreValueCase } from '../../tensor/test/core-table.js';
import { decodeGpu, expectGolden, gpuDType, onWebGpu, readFixture, type Encoded } from './golden.js';
import { startWebGpu } from './helpers.js';

type Attrs = Record<string, any>;

type ValueCase = CoreValueCase<Encoded>;
type GradCase = CoreGradCase<Encoded>;

const values = readFixture<ValueCase>('../../tensor/test/fixtures/core.json');
const grads = readFixture<GradCase>('../../autograd/test/fixtures/core-grads.json');
const OPS = coreOps(T);

// A dtype attribute of float64 (cast, arange, linspace) asks for float32, as the inputs do.
const gpuAttrs = (a: Attrs): Attrs => (a.dtype ? { ...a, dtype: gpuDType(a.dtype as DType) } : a);
const decodeInput = (x: Encoded | number): Tensor | number => (typeof x === 'number' ? x : decodeGpu(x));

beforeAll(startWebGpu);

describe(`core ops match PyTorch ${values.torch} on webgpu`, () => {
  for (const c of values.cases) {
    it(c.name, async () => {
      const inputs = c.inputs.map(decodeInput);
      const out = onWebGpu(() => OPS[c.op](inputs, gpuAttrs(c.attrs)) as Tensor);
      // The creation ops (arange, linspace, eye, full) run no kernel: they make host tensors, which the
      // first kernel given them uploads.
      const device = inputs.some((x) => typeof x !== 'number') ? 'webgpu' : 'cpu';
      await expectGolden(out, c.expected, c, 'result', device);
    });
  }
});

describe(`gradients of core ops match PyTorch ${grads.torch} on webgpu`, () => {
  for (const c of grads.cases) {
    it(c.name, async () => {
      const inputs = c.inputs.map((x) => (typeof x === 'number' ? x : decodeGpu(x).requiresGrad_()));
      const leaves = inputs.filter((x): x is Tensor => typeof x !== 'number');
      const weight = decodeGpu(c.weight);
      const found = onWebGpu(() => gradients(T.sum(T.mul(OPS[c.op](inputs, c.attrs) as Tensor, weight)), leaves));
      const wanted = c.grads.filter((g): g is Encoded => g !== null);
      expect(found).toHaveLength(wanted.length);
      for (const [i, g] of found.entries()) await expectGolden(g, wanted[i], c, `gradient of input ${i}`);
    });
  }
});
