// Values of the core ops against PyTorch. The fixture is written by tooling/fixtures/tensor/gen_core.py
// (conventions in tooling/fixtures/README.md); regenerate it rather than editing it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import type { DType, Tensor } from '../src/index.js';

interface Encoded {
  shape: number[];
  dtype: DType;
  data: (number | string)[];
}
type Attrs = Record<string, any>;
interface ValueCase {
  name: string;
  op: string;
  attrs: Attrs;
  inputs: (Encoded | number)[];
  expected: Encoded;
  rtol: number;
  atol: number;
}

const fixture: { torch: string; cases: ValueCase[] } = JSON.parse(
  readFileSync(new URL('./fixtures/core.json', import.meta.url), 'utf8'),
);

// Non-finite values travel as the strings 'NaN', 'Infinity', '-Infinity', which Number() parses.
const values = (e: Encoded): number[] => e.data.map(Number);
const decode = (e: Encoded): Tensor => {
  const data = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array }[e.dtype].from(values(e));
  return T.tensor(data, e.shape);
};

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
  eq: binary(T.eq), ne: binary(T.ne), lt: binary(T.lt), le: binary(T.le), gt: binary(T.gt), ge: binary(T.ge),
  neg: unary(T.neg), abs: unary(T.abs), sign: unary(T.sign), square: unary(T.square), exp: unary(T.exp),
  log: unary(T.log), log1p: unary(T.log1p), sqrt: unary(T.sqrt), rsqrt: unary(T.rsqrt),
  reciprocal: unary(T.reciprocal), erf: unary(T.erf), sin: unary(T.sin), cos: unary(T.cos),
  floor: unary(T.floor), round: unary(T.round), sigmoid: unary(T.sigmoid), tanh: unary(T.tanh),
  relu: unary(T.relu), clone: unary(T.clone),
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
  argmax: ([x], a) => T.argmax(t(x), a.axis, a.keepDims),
  argmin: ([x], a) => T.argmin(t(x), a.axis, a.keepDims),
  matmul: ([a, b]) => T.matmul(t(a), t(b)),
  softmax: ([x], a) => T.softmax(t(x), a.axis),
  logSoftmax: ([x], a) => T.logSoftmax(t(x), a.axis),
  reshape: ([x], a) => T.reshape(t(x), a.shape),
  flatten: ([x], a) => T.flatten(t(x), a.startAxis, a.endAxis),
  permute: ([x], a) => T.permute(t(x), a.axes),
  transpose: ([x], a) => T.transpose(t(x), a.axis0, a.axis1),
  squeeze: ([x], a) => T.squeeze(t(x), a.axes),
  unsqueeze: ([x], a) => T.unsqueeze(t(x), a.axis),
  expand: ([x], a) => T.expand(t(x), a.shape),
  cast: ([x], a) => T.cast(t(x), a.dtype),
  arange: (_, a) => T.arange(a.start, a.end, a.step, { dtype: a.dtype }),
  linspace: (_, a) => T.linspace(a.start, a.end, a.steps, { dtype: a.dtype }),
  eye: (_, a) => T.eye(a.n, a.m, { dtype: a.dtype }),
  full: (_, a) => T.full(a.shape, a.value, { dtype: a.dtype }),
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

describe(`core ops match PyTorch ${fixture.torch}`, () => {
  it('the fixture covers every op the tests know, and nothing else', () => {
    expect(new Set(fixture.cases.map((c) => c.op))).toEqual(new Set(Object.keys(OPS)));
  });
  for (const c of fixture.cases) {
    it(c.name, () => {
      const out = OPS[c.op](c.inputs.map((x) => (typeof x === 'number' ? x : decode(x))), c.attrs);
      expect(out.dtype).toBe(c.expected.dtype);
      expect(out.shape).toEqual(c.expected.shape);
      const mismatch = firstMismatch(out.data, values(c.expected), c.rtol, c.atol);
      expect(mismatch).toBeNull();
    });
  }
});
