// Gradients of avgPool1d, adaptive max pooling, interpolate, cdist, cosineSimilarity and linear algebra
// against PyTorch: each differentiable case of packages/tensor/test/fixtures/ops-b.json (written by
// tooling/fixtures/tensor/gen_ops_b.py) holds torch's gradient of (op(inputs) * projection).sum().
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as T from '@backprop/tensor';
import type { Tensor } from '@backprop/tensor';
import { decode, type Encoded } from '@backprop/test-utils';
import { gradients } from '../src/index.js';
import { opsB, type OpsBCase } from '../../tensor/test/ops-b-table.js';

type GradCase = OpsBCase<Encoded>;

const fixture: { cases: GradCase[] } = JSON.parse(
  readFileSync(new URL('../../tensor/test/fixtures/ops-b.json', import.meta.url), 'utf8'),
);
const OPS = opsB(T);

describe('gradients of pooling, interpolation, distances and linear algebra match PyTorch', () => {
  for (const c of fixture.cases.filter((k) => k.grads !== undefined)) {
    it(c.name, () => {
      const inputs = c.inputs.map((e) => (e.dtype.startsWith('float') ? decode(e).requiresGrad_() : decode(e)));
      const loss = T.sum(T.mul(OPS[c.op](inputs, c.options) as Tensor, decode(c.projection!)));
      const wanted = c.grads!.flatMap((g, k) => (g === null ? [] : [k]));
      const got = gradients(loss, wanted.map((k) => inputs[k]));
      got.forEach((g, j) => {
        const want = decode(c.grads![wanted[j]]!);
        expect(g.shape, `input ${wanted[j]}`).toEqual(want.shape);
        const w = want.dataSync();
        const excess = Array.from(g.dataSync(), (v, i) => Math.abs(v - w[i]) - c.tolerance.rtol * Math.abs(w[i]));
        expect(Math.max(...excess), `input ${wanted[j]}`).toBeLessThanOrEqual(c.tolerance.atol);
      });
    });
  }
});
