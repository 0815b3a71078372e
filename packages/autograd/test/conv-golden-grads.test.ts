// Gradients of convolution, pooling and upsampling against PyTorch: each case of
// packages/tensor/test/fixtures/conv.json (written by tooling/fixtures/tensor/gen_conv.py) holds torch's
// gradient of (op(inputs) * projection).sum() with respect to every input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as T from '@backprop/tensor';
import type { Tensor } from '@backprop/tensor';
import { decode, type Encoded } from '@backprop/test-utils';
import { gradients } from '../src/index.js';
import { convOps, type ConvCase } from '../../tensor/test/conv-table.js';

type ConvGradCase = ConvCase<Encoded>;

const fixture: { cases: ConvGradCase[] } = JSON.parse(
  readFileSync(new URL('../../tensor/test/fixtures/conv.json', import.meta.url), 'utf8'),
);

const OPS: Record<string, (xs: Tensor[], o: any) => Tensor> = convOps(T);

describe('gradients of convolution and pooling match PyTorch', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const inputs = c.inputs.map((e) => decode(e).requiresGrad_());
      const loss = T.sum(T.mul(OPS[c.op](inputs, c.options), decode(c.projection)));
      const got = gradients(loss, inputs);
      got.forEach((g, k) => {
        const want = decode(c.grads[k]);
        expect(g.shape, `input ${k}`).toEqual(want.shape);
        const excess = g.toFlatArray().map((v, i) => Math.abs(v - want.dataSync()[i]) - c.tolerance.rtol * Math.abs(want.dataSync()[i]));
        expect(Math.max(...excess), `input ${k}`).toBeLessThanOrEqual(c.tolerance.atol);
      });
    });
  }
});
