// The ops of fixtures/selection.json (written by tooling/fixtures/tensor/gen_selection.py) as calls of the JS
// API; attrs are named after its parameters. Ops with several results return them as the JS API does (an
// object or an array). Shared by this package's golden test and @backprop/backend-webgpu's run of the
// selection value and gradient cases on the GPU, each passing its own instance of the tensor module.

type Attrs = Record<string, any>;
type Op = (xs: any[], a: Attrs) => any;

/** A value case of selection.json over the caller's tensor encoding `E`: one result, a list, or named results. */
export interface SelectionValueCase<E> {
  name: string;
  op: string;
  attrs: Attrs;
  inputs: E[];
  expected: E | E[] | Record<string, E>;
  rtol: number;
  atol: number;
}

/** A gradient case of autograd's selection-grads.json: torch's gradients of (op(inputs) · weight).sum(). */
export interface SelectionGradCase<E> {
  name: string;
  op: string;
  attrs: Attrs;
  inputs: E[];
  weight: E;
  grads: (E | null)[];
  rtol: number;
  atol: number;
}

// ±Infinity in attrs travel as strings.
const num = (v: unknown): number | undefined => (v === undefined ? undefined : Number(v));
const ordOf = (v: unknown): any => (v === 'fro' || v === 'nuc' ? v : num(v));

/** The op table over the tensor module `T`. */
export function selectionOps(T: any): Record<string, Op> {
  return {
    sort: ([x], a) => T.sort(x, a.axis, a.descending, a.stable),
    argsort: ([x], a) => T.argsort(x, a.axis, a.descending, a.stable),
    topk: ([x], a) => T.topk(x, a.k, a.axis, a.largest),
    cumsum: ([x], a) => T.cumsum(x, a.axis),
    cumprod: ([x], a) => T.cumprod(x, a.axis),
    cummax: ([x], a) => T.cummax(x, a.axis),
    cummin: ([x], a) => T.cummin(x, a.axis),
    max: ([x], a) => T.max(x, a.axes, a.keepDims),
    min: ([x], a) => T.min(x, a.axes, a.keepDims),
    amax: ([x], a) => T.amax(x, a.axes, a.keepDims),
    amin: ([x], a) => T.amin(x, a.axes, a.keepDims),
    vectorNorm: ([x], a) => T.vectorNorm(x, num(a.ord), a.axes, a.keepDims),
    matrixNorm: ([x], a) => T.matrixNorm(x, ordOf(a.ord), a.axes, a.keepDims),
    norm: ([x], a) => T.norm(x, ordOf(a.p), a.axes, a.keepDims),
    linalgNorm: ([x], a) => T.linalg.norm(x, ordOf(a.ord), a.axes, a.keepDims),
    einsum: (xs, a) => T.einsum(a.equation, ...xs),
    nonzero: ([x], a) => T.nonzero(x, a),
    unique: ([x], a) => T.unique(x, a),
    any: ([x], a) => T.any(x, a.axes, a.keepDims),
    all: ([x], a) => T.all(x, a.axes, a.keepDims),
    isnan: ([x]) => T.isnan(x),
    isinf: ([x]) => T.isinf(x),
    isfinite: ([x]) => T.isfinite(x),
    logicalAnd: ([x, y]) => T.logicalAnd(x, y),
    logicalOr: ([x, y]) => T.logicalOr(x, y),
    logicalXor: ([x, y]) => T.logicalXor(x, y),
    logicalNot: ([x]) => T.logicalNot(x),
    roll: ([x], a) => T.roll(x, a.shifts, a.axes),
    meshgrid: (xs, a) => T.meshgrid(xs, a.indexing),
    outer: ([x, y]) => T.outer(x, y),
    diag: ([x], a) => T.diag(x, a.offset),
    diagonal: ([x], a) => T.diagonal(x, a.offset, a.dim1, a.dim2),
    tril: ([x], a) => T.tril(x, a.diagonal),
    triu: ([x], a) => T.triu(x, a.diagonal),
    floor: ([x]) => T.floor(x),
    ceil: ([x]) => T.ceil(x),
    round: ([x]) => T.round(x),
  };
}
