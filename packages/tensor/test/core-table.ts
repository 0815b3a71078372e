// The ops of fixtures/core.json (written by tooling/fixtures/tensor/gen_core.py) as calls of the JS API;
// attrs are named after its parameters. Shared by this package's golden test and @backprop/backend-webgpu's
// run of the core value and gradient cases on the GPU, each passing its own instance of the tensor module.

type Attrs = Record<string, any>;
type Op = (xs: any[], a: Attrs) => any;

/** A value case of core.json, over the caller's tensor encoding `E`. */
export interface CoreValueCase<E> {
  name: string;
  op: string;
  attrs: Attrs;
  inputs: (E | number)[];
  expected: E;
  rtol: number;
  atol: number;
}

/** A gradient case of autograd's core-grads.json: torch's gradients of (op(inputs) · weight).sum(). */
export interface CoreGradCase<E> {
  name: string;
  op: string;
  attrs: Attrs;
  inputs: (E | number)[];
  weight: E;
  grads: (E | null)[];
  rtol: number;
  atol: number;
}

/** The op table over the tensor module `T`. */
export function coreOps(T: any): Record<string, Op> {
  const binary = (f: (a: any, b: any) => any): Op => ([a, b]) => f(a, b);
  const unary = (f: (x: any) => any): Op => ([x]) => f(x);
  const reduction = (f: (x: any, axes?: number | number[], keepDims?: boolean) => any): Op => ([x], a) => f(x, a.axes, a.keepDims);
  return {
    add: binary(T.add), sub: binary(T.sub), mul: binary(T.mul), div: binary(T.div), pow: binary(T.pow),
    maximum: binary(T.maximum), minimum: binary(T.minimum),
    eq: binary(T.eq), ne: binary(T.ne), lt: binary(T.lt), le: binary(T.le), gt: binary(T.gt), ge: binary(T.ge),
    neg: unary(T.neg), abs: unary(T.abs), sign: unary(T.sign), square: unary(T.square), exp: unary(T.exp),
    log: unary(T.log), log1p: unary(T.log1p), sqrt: unary(T.sqrt), rsqrt: unary(T.rsqrt),
    reciprocal: unary(T.reciprocal), erf: unary(T.erf), sin: unary(T.sin), cos: unary(T.cos),
    floor: unary(T.floor), round: unary(T.round), sigmoid: unary(T.sigmoid), tanh: unary(T.tanh),
    relu: unary(T.relu), clone: unary(T.clone),
    leakyRelu: ([x], a) => T.leakyRelu(x, a.alpha),
    elu: ([x], a) => T.elu(x, a.alpha),
    gelu: ([x], a) => T.gelu(x, a.approximate),
    softplus: ([x], a) => T.softplus(x, a.beta, a.threshold),
    clamp: ([x], a) => T.clamp(x, a.min, a.max),
    hardTanh: ([x], a) => T.hardTanh(x, a.minVal, a.maxVal),
    sum: reduction(T.sum), prod: reduction(T.prod), max: reduction(T.max), min: reduction(T.min),
    mean: reduction(T.mean), logSumExp: reduction(T.logSumExp),
    variance: ([x], a) => T.variance(x, a.axes, a.keepDims, a.correction),
    std: ([x], a) => T.std(x, a.axes, a.keepDims, a.correction),
    argmax: ([x], a) => T.argmax(x, a.axis, a.keepDims),
    argmin: ([x], a) => T.argmin(x, a.axis, a.keepDims),
    matmul: ([a, b]) => T.matmul(a, b),
    addmm: ([bias, x, w], a) => T.addmm(bias, x, w, false, a.transB),
    softmax: ([x], a) => T.softmax(x, a.axis),
    logSoftmax: ([x], a) => T.logSoftmax(x, a.axis),
    reshape: ([x], a) => T.reshape(x, a.shape),
    flatten: ([x], a) => T.flatten(x, a.startAxis, a.endAxis),
    permute: ([x], a) => T.permute(x, a.axes),
    transpose: ([x], a) => T.transpose(x, a.axis0, a.axis1),
    squeeze: ([x], a) => T.squeeze(x, a.axes),
    unsqueeze: ([x], a) => T.unsqueeze(x, a.axis),
    expand: ([x], a) => T.expand(x, a.shape),
    cast: ([x], a) => T.cast(x, a.dtype),
    arange: (_, a) => T.arange(a.start, a.end, a.step, { dtype: a.dtype }),
    linspace: (_, a) => T.linspace(a.start, a.end, a.steps, { dtype: a.dtype }),
    eye: (_, a) => T.eye(a.n, a.m, { dtype: a.dtype }),
    full: (_, a) => T.full(a.shape, a.value, { dtype: a.dtype }),
  };
}
