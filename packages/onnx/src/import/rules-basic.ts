import * as T from '@backprop/tensor';
import type { Tensor } from '@backprop/tensor';
import type { ImportContext } from './context.js';

/** An import rule: the node's outputs from its inputs (`null` for an omitted optional input). */
export type OnnxImportRule = (inputs: readonly (Tensor | null)[], ctx: ImportContext) => Tensor | (Tensor | null)[];

const required = (inputs: readonly (Tensor | null)[], i: number, ctx: ImportContext): Tensor => inputs[i] ?? ctx.fail(`input ${i} is required`);

/** Integer values of a (small, constant) shape-like input: Reshape's shape, Slice's starts, Squeeze's axes. */
export function intsOf(t: Tensor | null, ctx: ImportContext, what: string): number[] {
  if (!t) return ctx.fail(`${what} is missing`);
  return Array.from(t.dataSync(), Number);
}

const unary = (fn: (x: Tensor) => Tensor): OnnxImportRule => (inputs, ctx) => fn(required(inputs, 0, ctx));
const binary = (fn: (a: Tensor, b: Tensor) => Tensor): OnnxImportRule => (inputs, ctx) => fn(required(inputs, 0, ctx), required(inputs, 1, ctx));
const variadic = (fn: (a: Tensor, b: Tensor) => Tensor): OnnxImportRule => (inputs, ctx) =>
  inputs.filter((t): t is Tensor => t !== null).reduce((acc, t) => fn(acc, t)) ?? ctx.fail('needs at least one input');
const axisOf = (ctx: ImportContext, rank: number, fallback: number): number => {
  const a = ctx.int('axis', fallback);
  return a < 0 ? a + rank : a;
};

/** `axes` from the attribute (opset < 13 for most reductions) or from the second input (opset ≥ 13). */
function axesOf(inputs: readonly (Tensor | null)[], ctx: ImportContext): number[] | null {
  if (inputs[1]) return intsOf(inputs[1], ctx, 'axes');
  return ctx.ints('axes');
}

function reduce(fn: (x: Tensor, axes: number[] | undefined, keep: boolean) => Tensor): OnnxImportRule {
  return (inputs, ctx) => {
    const x = required(inputs, 0, ctx);
    const axes = axesOf(inputs, ctx);
    const keep = ctx.int('keepdims', 1) === 1;
    if ((axes === null || axes.length === 0) && ctx.int('noop_with_empty_axes', 0) === 1) return x;
    return fn(x, axes && axes.length > 0 ? axes : undefined, keep);
  };
}

/** Elementwise, matrix, shape and reduction operators. */
export const BASIC_RULES: Record<string, OnnxImportRule> = {
  Identity: unary((x) => x),
  Add: binary(T.add),
  Sub: binary(T.sub),
  Mul: binary(T.mul),
  Div: binary(T.div),
  Pow: binary(T.pow),
  Neg: unary(T.neg),
  Abs: unary(T.abs),
  Exp: unary(T.exp),
  Log: unary(T.log),
  Sqrt: unary(T.sqrt),
  Reciprocal: unary(T.reciprocal),
  Sin: unary(T.sin),
  Cos: unary(T.cos),
  Erf: unary(T.erf),
  Floor: unary(T.floor),
  Ceil: unary(T.ceil),
  Relu: unary(T.relu),
  Sigmoid: unary(T.sigmoid),
  Tanh: unary(T.tanh),
  Softsign: unary((x) => x.div(x.abs().add(1))),
  Max: variadic(T.maximum),
  Min: variadic(T.minimum),
  Sum: variadic(T.add),
  Equal: binary(T.eq),
  Less: binary(T.lt),
  LessOrEqual: binary(T.le),
  Greater: binary(T.gt),
  GreaterOrEqual: binary(T.ge),
  Not: unary(T.logicalNot),
  And: binary(T.logicalAnd),
  Or: binary(T.logicalOr),
  Where: (inputs, ctx) => T.where(required(inputs, 0, ctx), required(inputs, 1, ctx), required(inputs, 2, ctx)),
  LeakyRelu: (inputs, ctx) => T.leakyRelu(required(inputs, 0, ctx), ctx.float('alpha', 0.01)),
  Elu: (inputs, ctx) => T.elu(required(inputs, 0, ctx), ctx.float('alpha', 1)),
  Selu: (inputs, ctx) => {
    const x = required(inputs, 0, ctx);
    return T.elu(x, ctx.float('alpha', 1.67326319217681884765625)).mul(ctx.float('gamma', 1.05070102214813232421875));
  },
  Softplus: unary((x) => T.softplus(x)),
  HardSigmoid: (inputs, ctx) => T.clamp(required(inputs, 0, ctx).mul(ctx.float('alpha', 0.2)).add(ctx.float('beta', 0.5)), 0, 1),
  Gelu: (inputs, ctx) => T.gelu(required(inputs, 0, ctx), ctx.string('approximate', 'none') === 'tanh' ? 'tanh' : 'none'),
  Clip: (inputs, ctx) => {
    const x = required(inputs, 0, ctx);
    // Opset ≥ 11: min and max are optional inputs; before, attributes.
    const lo = inputs[1] ? intsOrFloat(inputs[1]) : ctx.float('min', -Infinity);
    const hi = inputs[2] ? intsOrFloat(inputs[2]) : ctx.float('max', Infinity);
    return T.clamp(x, lo, hi);
  },
  Cast: (inputs, ctx) => {
    const to = ctx.int('to', 1);
    const dtype = to === 1 || to === 10 ? 'float32' : to === 11 ? 'float64' : to === 9 ? 'bool' : 'int32';
    return T.cast(required(inputs, 0, ctx), dtype);
  },
  Dropout: (inputs, ctx) => [required(inputs, 0, ctx), null],
  MatMul: binary(T.matmul),
  Gemm: (inputs, ctx) => {
    let a = required(inputs, 0, ctx);
    let b = required(inputs, 1, ctx);
    if (ctx.int('transA', 0)) a = a.transpose(0, 1);
    if (ctx.int('transB', 0)) b = b.transpose(0, 1);
    let y = a.matmul(b);
    const alpha = ctx.float('alpha', 1);
    if (alpha !== 1) y = y.mul(alpha);
    const c = inputs[2];
    if (c) {
      const beta = ctx.float('beta', 1);
      y = y.add(beta === 1 ? c : c.mul(beta));
    }
    return y;
  },
  Softmax: (inputs, ctx) => softmaxLike(inputs, ctx, T.softmax),
  LogSoftmax: (inputs, ctx) => softmaxLike(inputs, ctx, T.logSoftmax),
  Flatten: (inputs, ctx) => {
    const x = required(inputs, 0, ctx);
    const axis = axisOf(ctx, x.rank, 1);
    const outer = x.shape.slice(0, axis).reduce((p, d) => p * d, 1);
    return x.reshape([outer, x.size / outer]);
  },
  Reshape: (inputs, ctx) => {
    const x = required(inputs, 0, ctx);
    const shape = intsOf(inputs[1], ctx, 'shape');
    const allowZero = ctx.int('allowzero', 0) === 1;
    return x.reshape(shape.map((d, i) => (d === 0 && !allowZero ? x.shape[i] : d)));
  },
  Transpose: (inputs, ctx) => {
    const x = required(inputs, 0, ctx);
    return x.permute(ctx.ints('perm') ?? [...x.shape.keys()].reverse());
  },
  Concat: (inputs, ctx) => {
    const tensors = inputs.filter((t): t is Tensor => t !== null);
    return T.concat(tensors, axisOf(ctx, tensors[0].rank, 0));
  },
  Squeeze: (inputs, ctx) => {
    const x = required(inputs, 0, ctx);
    const axes = axesOf(inputs, ctx);
    return axes ? T.squeeze(x, axes) : T.squeeze(x);
  },
  Unsqueeze: (inputs, ctx) => {
    let x = required(inputs, 0, ctx);
    const axes = axesOf(inputs, ctx) ?? ctx.fail('axes are required');
    const rank = x.rank + axes.length;
    for (const a of axes.map((a) => (a < 0 ? a + rank : a)).sort((p, q) => p - q)) x = T.unsqueeze(x, a);
    return x;
  },
  Shape: (inputs, ctx) => {
    const x = required(inputs, 0, ctx);
    const start = ctx.int('start', 0);
    const end = ctx.int('end', x.rank);
    return T.tensor(x.shape.slice(start, end), { dtype: 'int32' });
  },
  Size: (inputs, ctx) => T.tensor(required(inputs, 0, ctx).size, { dtype: 'int32' }),
  Expand: (inputs, ctx) => {
    const x = required(inputs, 0, ctx);
    const shape = intsOf(inputs[1], ctx, 'shape');
    // ONNX's Expand broadcasts both ways: a 1 in `shape` keeps x's size there.
    const target = T.broadcastShapes('Expand', x.shape, shape);
    return T.expand(x, target);
  },
  Slice: (inputs, ctx) => {
    let x = required(inputs, 0, ctx);
    const starts = inputs[1] ? intsOf(inputs[1], ctx, 'starts') : ctx.ints('starts') ?? ctx.fail('starts are required');
    const ends = inputs[2] ? intsOf(inputs[2], ctx, 'ends') : ctx.ints('ends') ?? ctx.fail('ends are required');
    const axes = inputs[3] ? intsOf(inputs[3], ctx, 'axes') : ctx.ints('axes') ?? starts.map((_, i) => i);
    const steps = inputs[4] ? intsOf(inputs[4], ctx, 'steps') : starts.map(() => 1);
    axes.forEach((axis, k) => {
      const a = axis < 0 ? axis + x.rank : axis;
      if (steps[k] > 0) {
        x = T.slice(x, a, starts[k], Math.min(ends[k], x.shape[a]), steps[k]);
      } else {
        // A negative step walks backwards: flip, then slice the mirrored range forwards.
        const n = x.shape[a];
        const clampIndex = (v: number, hi: number) => Math.max(-1, Math.min(v < 0 ? v + n : v, hi));
        const s = clampIndex(starts[k], n - 1);
        const e = clampIndex(ends[k], n - 1);
        x = T.slice(T.flip(x, a), a, n - 1 - s, n - 1 - e, -steps[k]);
      }
    });
    return x;
  },
  Gather: (inputs, ctx) => {
    const x = required(inputs, 0, ctx);
    const indices = required(inputs, 1, ctx);
    const axis = axisOf(ctx, x.rank, 0);
    const n = x.shape[axis];
    const flat = T.cast(indices, 'int32').reshape([indices.size]);
    const wrapped = T.where(flat.lt(0), flat.add(n), flat);
    const picked = T.indexSelect(x, axis, T.cast(wrapped, 'int32'));
    return picked.reshape([...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)]);
  },
  Split: (inputs, ctx) => {
    const x = required(inputs, 0, ctx);
    const axis = axisOf(ctx, x.rank, 0);
    const outputs = ctx.node.output?.length ?? 1;
    const sizes = inputs[1] ? intsOf(inputs[1], ctx, 'split') : ctx.ints('split');
    if (sizes) return T.split(x, sizes, axis);
    const n = x.shape[axis];
    const each = Math.ceil(n / outputs);
    return T.split(x, Array.from({ length: outputs }, (_, i) => Math.min(each, n - i * each)), axis);
  },
  Pad: (inputs, ctx) => {
    const x = required(inputs, 0, ctx);
    const pads = inputs[1] ? intsOf(inputs[1], ctx, 'pads') : ctx.ints('pads') ?? ctx.fail('pads are required');
    const value = inputs[2] ? Number(inputs[2].dataSync()[0]) : ctx.float('value', 0);
    const axes = inputs[3] ? intsOf(inputs[3], ctx, 'axes').map((a) => (a < 0 ? a + x.rank : a)) : [...x.shape.keys()];
    const mode = ctx.string('mode', 'constant');
    const modes: Record<string, T.PadMode> = { constant: 'constant', reflect: 'reflect', edge: 'replicate', wrap: 'circular' };
    // ONNX lists [begin of each axis…, end of each axis…]; F.pad's order is last axis first, [before, after].
    const last = Math.max(...axes);
    const extra: number[] = [];
    for (let a = last; a >= Math.min(...axes); a--) {
      const k = axes.indexOf(a);
      extra.push(k < 0 ? 0 : pads[k], k < 0 ? 0 : pads[k + axes.length]);
    }
    return T.pad(x, extra, modes[mode] ?? ctx.fail(`mode '${mode}' is not supported`), value);
  },
  ReduceMean: reduce((x, axes, keep) => T.mean(x, axes, keep)),
  ReduceSum: reduce((x, axes, keep) => T.sum(x, axes, keep)),
  ReduceMax: reduce((x, axes, keep) => T.amax(x, axes, keep)),
  ReduceMin: reduce((x, axes, keep) => T.amin(x, axes, keep)),
  ReduceProd: reduce((x, axes, keep) => T.prod(x, axes, keep)),
  ReduceL2: reduce((x, axes, keep) => T.sqrt(T.sum(x.square(), axes, keep))),
  ArgMax: (inputs, ctx) => {
    const x = required(inputs, 0, ctx);
    return T.argmax(x, axisOf(ctx, x.rank, 0), ctx.int('keepdims', 1) === 1);
  },
  Constant: (_inputs, ctx) => {
    const t = ctx.tensor('value');
    if (t) return t;
    if (ctx.has('value_float')) return T.tensor(ctx.float('value_float', 0));
    if (ctx.has('value_int')) return T.tensor(ctx.int('value_int', 0), { dtype: 'int32' });
    if (ctx.has('value_floats')) return T.tensor(ctx.ints('value_floats') ?? []);
    if (ctx.has('value_ints')) return T.tensor(ctx.ints('value_ints') ?? [], { dtype: 'int32' });
    return ctx.fail('has no value attribute this importer reads (value, value_float, value_int, value_floats, value_ints)');
  },
  ConstantOfShape: (inputs, ctx) => {
    const shape = intsOf(inputs[0], ctx, 'shape');
    const value = ctx.tensor('value');
    return T.full(shape, value ? Number(value.dataSync()[0]) : 0, { dtype: value?.dtype ?? 'float32' });
  },
};

function intsOrFloat(t: Tensor): number {
  return Number(t.dataSync()[0]);
}

function softmaxLike(inputs: readonly (Tensor | null)[], ctx: ImportContext, fn: (x: Tensor, axis: number) => Tensor): Tensor {
  const x = required(inputs, 0, ctx);
  if (ctx.opset >= 13) return fn(x, ctx.int('axis', -1));
  // Before opset 13, Softmax flattens to 2-D at `axis` (default 1) and normalizes each row.
  const axis = axisOf(ctx, x.rank, 1);
  const outer = x.shape.slice(0, axis).reduce((p, d) => p * d, 1);
  return fn(x.reshape([outer, x.size / outer]), 1).reshape(x.shape);
}
