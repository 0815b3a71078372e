// The PyTorch golden cases of packages/tensor/test/fixtures/ops-b.json (pooling, interpolation, distances,
// counting, linear algebra; written by tooling/fixtures/tensor/gen_ops_b.py), values, indices and
// gradients, with webgpu active: inputs in GPU buffers, everything read with `await t.read()`, float64
// cases run in float32 at `FLOAT32` tolerances.
import '@backprop/autograd';
import { gradients } from '@backprop/autograd';
import * as T from '@backprop/tensor';
import type { Tensor } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { opsB, withIndicesB, type OpsBCase } from '../../tensor/test/ops-b-table.js';
import { decodeGpu, decodeHost, expectGolden, onWebGpu, readFixture, type Encoded } from './golden.js';
import { webgpuFallbacks } from '../src/index.js';
import { startWebGpu } from './helpers.js';


type Case = OpsBCase<Encoded>;

const fixture = readFixture<Case>('../../tensor/test/fixtures/ops-b.json');
const OPS = opsB(T);
const WITH_INDICES = withIndicesB(T);

/**
 * The cases whose result's shape comes from the input's values, which the host must read: bincount's length
 * (its largest value + 1) and histc's range when min = max (the data's own). Given an input on the GPU they
 * throw, saying so; from a host input the shape is known and the kernel runs on webgpu.
 */
const readsValues = (c: Case): boolean => c.op === 'bincount' || (c.op === 'histc' && (c.options.min ?? 0) === (c.options.max ?? 0));

beforeAll(startWebGpu);

describe('pooling, interpolation, distances, counting and linear algebra match PyTorch on webgpu', () => {
  it('every kernel of these ops runs on webgpu', () => {
    expect(webgpuFallbacks().filter((k) => /^(linalg|avgPool|adaptive|interp|cdist|cosine|searchsorted|bincount|histc)/.test(k))).toEqual([]);
  });
  for (const c of fixture.cases.filter(readsValues)) {
    it(`${c.name}: refuses its input on the GPU, runs on the GPU from a host input`, async () => {
      const onDevice = c.inputs.map(decodeGpu);
      expect(() => onWebGpu(() => OPS[c.op](onDevice, c.options))).toThrow(new RegExp(`^${c.op}: the input lives on 'webgpu'`));
      const inputs = [decodeHost(c.inputs[0]), ...onDevice.slice(1)];
      await expectGolden(onWebGpu(() => OPS[c.op](inputs, c.options) as Tensor), c.output, c.tolerance, 'value');
    });
  }
  for (const c of fixture.cases.filter((k) => !readsValues(k))) {
    it(c.name, async () => {
      const inputs = c.inputs.map((e) => (e.dtype.startsWith('float') && c.grads ? decodeGpu(e).requiresGrad_() : decodeGpu(e)));
      const out = onWebGpu(() => OPS[c.op](inputs, c.options) as Tensor);
      await expectGolden(out, c.output, c.tolerance, 'value');
      if (c.indices) {
        const { values, indices } = onWebGpu(() => WITH_INDICES[c.op](inputs[0], c.options));
        await expectGolden(indices, c.indices, { rtol: 0, atol: 0 }, 'indices');
        await expectGolden(values, c.output, c.tolerance, 'values with indices');
      }
      if (!c.grads) return;
      const wanted = c.grads.flatMap((g, k) => (g === null ? [] : [k]));
      const projection = decodeGpu(c.projection!);
      const found = onWebGpu(() => gradients(T.sum(T.mul(out, projection)), wanted.map((k) => inputs[k])));
      for (const [j, g] of found.entries()) await expectGolden(g, c.grads[wanted[j]]!, c.tolerance, `gradient of input ${wanted[j]}`);
    });
  }
});
