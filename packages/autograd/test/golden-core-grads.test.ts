// Gradients of the core ops against PyTorch: each case holds torch's gradient of (op(inputs) * w).sum()
// with respect to every float input, in float64. The fixture is written by
// tooling/fixtures/tensor/gen_core.py (conventions in tooling/fixtures/README.md); regenerate, don't edit.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as T from '@backprop/tensor';
import type { Tensor } from '@backprop/tensor';
import { decode, type Encoded } from '@backprop/test-utils';
import { gradients } from '../src/index.js';
import type { CoreGradCase } from '../../tensor/test/core-table.js';

type Attrs = Record<string, any>;
type GradCase = CoreGradCase<Encoded>;

const fixture: { torch: string; cases: GradCase[] } = JSON.parse(
  readFileSync(new URL('./fixtures/core-grads.json', import.meta.url), 'utf8'),
);


// Each fixture op as a call of the JS API; attrs are named after its parameters.
type Op = (xs: (Tensor | number)[], a: Attrs) => Tensor;
const t = (x: Tensor | number): Tensor => x as Tensor;
const binary = (f: (a: T.Operand, b: T.Operand) => Tensor): Op => ([a, b]) => f(a, b);
const unary = (f: (x: Tensor) => Tensor): Op => ([x]) => f(t(x));
const reduction = (f: (x: Tensor, axes?: number | number[], keepDims?: boolean) => Tensor): Op => ([x], a) =>
  f(t(x), a.axes, a.keepDims);
const OPS: Record<string, Op> = {
  add: binary(T.add), sub: binary(T.sub), mul: binary(T.mul), div: binary(T.div), pow: binary(T.pow),
  maximum: binary(T.maximum), minimum: binary(T.minimum),
  neg: unary(T.neg), abs: unary(T.abs), sign: unary(T.sign), square: unary(T.square), exp: unary(T.exp),
  log: unary(T.log), log1p: unary(T.log1p), sqrt: unary(T.sqrt), rsqrt: unary(T.rsqrt),
  reciprocal: unary(T.reciprocal), erf: unary(T.erf), sin: unary(T.sin), cos: unary(T.cos),
  sigmoid: unary(T.sigmoid), tanh: unary(T.tanh), relu: unary(T.relu), clone: unary(T.clone),
  leakyRelu: ([x], a) => T.leakyRelu(t(x), a.alpha),
  elu: ([x], a) => T.elu(t(x), a.alpha),
  gelu: ([x], a) => T.gelu(t(x), a.approximate),
  softplus: ([x], a) => T.softplus(t(x), a.beta, a.threshold),
  clamp: ([x], a) => T.clamp(t(x), a.min, a.max),
  hardTanh: ([x], a) => T.hardTanh(t(x), a.minVal, a.maxVal),
  sum: reduction(T.sum), prod: reduction(T.prod), max: reduction(T.max), min: reduction(T.min),
  mean: reduction(T.mean), logSumExp: reduction(T.logSumExp),
  variance: ([x], a) => T.variance(t(x), a.axes, a.keepDims, a.correction),
  std: ([x], a) => T.std(t(x), a.axes, a.keepDims, a.correction),
  matmul: ([a, b]) => T.matmul(t(a), t(b)),
  addmm: ([bias, x, w], a) => T.addmm(t(bias), t(x), t(w), false, a.transB),
  softmax: ([x], a) => T.softmax(t(x), a.axis),
  logSoftmax: ([x], a) => T.logSoftmax(t(x), a.axis),
  reshape: ([x], a) => T.reshape(t(x), a.shape),
  flatten: ([x], a) => T.flatten(t(x), a.startAxis, a.endAxis),
  permute: ([x], a) => T.permute(t(x), a.axes),
  transpose: ([x], a) => T.transpose(t(x), a.axis0, a.axis1),
  squeeze: ([x], a) => T.squeeze(t(x), a.axes),
  unsqueeze: ([x], a) => T.unsqueeze(t(x), a.axis),
  expand: ([x], a) => T.expand(t(x), a.shape),
};

/** The first element outside |got − want| ≤ atol + rtol·|want| (NaN matches NaN), or null. */
function firstMismatch(got: ArrayLike<number>, want: number[], rtol: number, atol: number): string | null {
  for (let i = 0; i < want.length; i++) {
    const g = Number(got[i]);
    const w = want[i];
    const same = Number.isNaN(w) ? Number.isNaN(g) : g === w || Math.abs(g - w) <= atol + rtol * Math.abs(w);
    if (!same) return `element ${i}: got ${g}, PyTorch ${w} (difference ${Math.abs(g - w)})`;
  }
  return null;
}

describe(`gradients of core ops match PyTorch ${fixture.torch}`, () => {
  it('the fixture covers every op the tests know, and nothing else', () => {
    expect(new Set(fixture.cases.map((c) => c.op))).toEqual(new Set(Object.keys(OPS)));
  });
  for (const c of fixture.cases) {
    it(c.name, () => {
      const inputs = c.inputs.map((x) => (typeof x === 'number' ? x : decode(x).requiresGrad_()));
      const leaves = inputs.filter((x): x is Tensor => typeof x !== 'number');
      const out = OPS[c.op](inputs, c.attrs);
      expect(out.shape).toEqual(c.weight.shape);
      const found = gradients(T.sum(T.mul(out, decode(c.weight))), leaves);
      const wanted = c.grads.filter((g): g is Encoded => g !== null);
      expect(found).toHaveLength(wanted.length);
      found.forEach((g, i) => {
        expect(g.dtype).toBe('float64');
        expect(g.shape).toEqual(wanted[i].shape);
        const mismatch = firstMismatch(g.dataSync(), Array.from(decode(wanted[i]).dataSync()), c.rtol, c.atol);
        expect(mismatch, `gradient of input ${i}`).toBeNull();
      });
    });
  }
});
