// The PyTorch golden cases of convolution, pooling and upsampling (packages/tensor/test/fixtures/conv.json,
// written by tooling/fixtures/tensor/gen_conv.py: values, max pooling's indices, and the gradients of
// (op(inputs) · projection).sum()) with webgpu active: inputs in GPU buffers, everything read with
// `await t.read()`, float64 cases run in float32 at `FLOAT32` tolerances.
import '@backprop/autograd';
import { gradients } from '@backprop/autograd';
import * as T from '@backprop/tensor';
import type { Tensor } from '@backprop/tensor';
import { beforeAll, describe, it } from 'vitest';
import { convOps, convWithIndices, type ConvCase } from '../../tensor/test/conv-table.js';
import { decodeGpu, expectGolden, onWebGpu, readFixture, type Encoded } from './golden.js';
import { startWebGpu } from './helpers.js';



const fixture = readFixture<ConvCase<Encoded>>('../../tensor/test/fixtures/conv.json');
const OPS = convOps(T);
const WITH_INDICES = convWithIndices(T);

beforeAll(startWebGpu);

describe('convolution and pooling match PyTorch on webgpu', () => {
  for (const c of fixture.cases) {
    it(c.name, async () => {
      const inputs = c.inputs.map((e) => decodeGpu(e).requiresGrad_());
      const projection = decodeGpu(c.projection);
      const { out, found } = onWebGpu(() => {
        const y = OPS[c.op](inputs, c.options) as Tensor;
        return { out: y, found: gradients(T.sum(T.mul(y, projection)), inputs) };
      });
      await expectGolden(out, c.output, c.tolerance, 'value');
      for (const [k, g] of found.entries()) await expectGolden(g, c.grads[k], c.tolerance, `gradient of input ${k}`);
      if (c.indices) {
        const { values, indices } = onWebGpu(() => WITH_INDICES[c.op](inputs[0], c.options));
        await expectGolden(indices, c.indices, { rtol: 0, atol: 0 }, 'indices');
        await expectGolden(values, c.output, c.tolerance, 'values with indices');
      }
    });
  }
});
