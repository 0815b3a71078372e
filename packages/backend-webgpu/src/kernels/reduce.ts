import { sizeOf, type DType, type DeviceKernel } from '@backprop/tensor';
import { grid, wgslType, type WebGpuRuntime } from '../runtime.js';
import { permuteTo } from './layout.js';
import { MATH, NAN_BITS } from './math.js';
import { bindings, bufferOf, ELEMENT_MAIN, metaBinding, output } from './util.js';

export const REDUCE_OPS = ['sum', 'prod', 'max', 'min'] as const;
type ReduceOp = (typeof REDUCE_OPS)[number];

/** acc ⊕ v for each op; max and min let NaN win and keep it, as torch.max. */
function combine(op: ReduceOp, t: string): string {
  switch (op) {
    case 'sum': return 'acc + v';
    case 'prod': return 'acc * v';
    case 'max': return t === 'f32' ? 'select(acc, v, !isNanF(acc) && (v > acc || isNanF(v)))' : 'max(acc, v)';
    case 'min': return t === 'f32' ? 'select(acc, v, !isNanF(acc) && (v < acc || isNanF(v)))' : 'min(acc, v)';
  }
}

function identity(op: ReduceOp, t: string): string {
  const one = t === 'f32' ? '1.0' : t === 'i32' ? '1' : '1u';
  const zero = t === 'f32' ? '0.0' : t === 'i32' ? '0' : '0u';
  return op === 'prod' ? one : zero;
}

/** The reduced axes as [outer, n, inner] when they are one contiguous block, else null. */
function asBlock(shape: readonly number[], axes: readonly number[]): [number, number, number] | null {
  for (let i = 1; i < axes.length; i++) if (axes[i] !== axes[i - 1] + 1) return null;
  let outer = 1;
  let n = 1;
  let inner = 1;
  for (let i = 0; i < shape.length; i++) {
    if (i < axes[0]) outer *= shape[i];
    else if (i <= axes[axes.length - 1]) n *= shape[i];
    else inner *= shape[i];
  }
  return [outer, n, inner];
}

const ROW_THREADS = 256;

/**
 * Reduces x viewed as [outer, n, inner] over n. Rows (inner = 1) get one workgroup each, whose threads
 * stride over the row and combine in workgroup memory; otherwise one thread per output walks its column.
 * Max and min start from the first element (n ≥ 1 for them), so no infinity literal is needed.
 */
function reduceBlock(rt: WebGpuRuntime, op: ReduceOp, x: GPUBuffer, t: string, out: GPUBuffer, outer: number, n: number, inner: number): void {
  const start = op === 'max' || op === 'min' ? 'a[base]' : identity(op, t);
  if (inner === 1 && n > 64) {
    const code = (): string => `${bindings([['a', t], ['o', t]])}
${metaBinding(2)}
${NAN_BITS}
var<workgroup> part: array<${t}, ${ROW_THREADS}>;
@compute @workgroup_size(${ROW_THREADS})
fn main(@builtin(workgroup_id) w: vec3u, @builtin(num_workgroups) nw: vec3u, @builtin(local_invocation_index) l: u32) {
  let row = w.x + w.y * nw.x;
  let n = m[1];
  let inRange = row < m[0];
  let base = select(0u, row * n, inRange);
  var acc: ${t} = ${start};
  if (inRange) {
    for (var r = l; r < n; r += ${ROW_THREADS}u) {
      let v = a[base + r];
      acc = ${combine(op, t)};
    }
  }
  part[l] = acc;
  workgroupBarrier();
  for (var s = ${ROW_THREADS / 2}u; s > 0u; s = s >> 1u) {
    if (l < s) {
      let v = part[l + s];
      let acc = part[l];
      part[l] = ${combine(op, t)};
    }
    workgroupBarrier();
  }
  if (l == 0u && inRange) { o[row] = part[0]; }
}`;
    rt.dispatch(`reduceRows:${op}:${t}`, code, [x, out], [outer, n], grid(outer, 1));
    return;
  }
  const code = (): string => `${bindings([['a', t], ['o', t]])}
${metaBinding(2)}
${NAN_BITS}
${ELEMENT_MAIN}
  let n = m[1];
  let inner = m[2];
  let base = (i / inner) * n * inner + i % inner;
  var acc: ${t} = ${n === 0 ? identity(op, t) : start};
  for (var r = 0u; r < n; r++) {
    let v = a[base + r * inner];
    acc = ${combine(op, t)};
  }
  o[i] = acc;
}`;
  rt.dispatch(`reduceColumns:${op}:${t}:${n === 0}`, code, [x, out], [outer * inner, n, inner], grid(outer * inner));
}

export function reduceKernel(rt: WebGpuRuntime, op: ReduceOp): DeviceKernel {
  return ([x], attrs) => {
    const axes = attrs.axes as number[];
    const dtype = (attrs.dtype as DType | undefined) ?? x.dtype;
    const t = wgslType(dtype);
    const shape = x.shape.filter((_, i) => !axes.includes(i));
    const [buffer, result] = output(rt, shape, dtype);
    const size = sizeOf(shape);
    if (size === 0) return result;
    if (axes.length === 0) {
      rt.copy(bufferOf(x), buffer, size);
      return result;
    }
    const block = asBlock(x.shape, axes);
    if (block) {
      reduceBlock(rt, op, bufferOf(x), t, buffer, ...block);
      return result;
    }
    // Scattered axes: move the reduced ones last, then reduce rows.
    const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const moved = permuteTo(rt, x, [...kept, ...axes]);
    reduceBlock(rt, op, bufferOf(moved), t, buffer, size, sizeOf(x.shape) / size, 1);
    return result;
  };
}

/** Index of the max (min) along attrs.axis, the first on ties; a NaN wins and stops the search. */
export function argReduceKernel(rt: WebGpuRuntime, op: 'argmax' | 'argmin'): DeviceKernel {
  return ([x], attrs) => {
    const axis = attrs.axis as number;
    const t = wgslType(x.dtype);
    const shape = x.shape.filter((_, i) => i !== axis);
    const [buffer, result] = output(rt, shape, 'int32');
    const size = sizeOf(shape);
    if (size === 0) return result;
    const n = x.shape[axis];
    const inner = sizeOf(x.shape.slice(axis + 1));
    const cmp = op === 'argmax' ? '>' : '<';
    const nan = t === 'f32' ? ' || isNanF(v)' : '';
    const code = (): string => `${bindings([['a', t], ['o', 'i32']])}
${metaBinding(2)}
${NAN_BITS}
${ELEMENT_MAIN}
  let n = m[1];
  let inner = m[2];
  let base = (i / inner) * n * inner + i % inner;
  var best = a[base];
  var at = 0u;
  for (var r = 1u; r < n; r++) {
    ${t === 'f32' ? 'if (isNanF(best)) { break; }' : ''}
    let v = a[base + r * inner];
    if (v ${cmp} best${nan}) { best = v; at = r; }
  }
  o[i] = i32(at);
}`;
    rt.dispatch(`${op}:${t}`, code, [bufferOf(x), buffer], [size, n, inner], grid(size));
    return result;
  };
}

/**
 * Softmax or log-softmax along attrs.axis, shifted by the max (0 when every value is −∞). Log-softmax is
 * (x − max) − log Σ, not x − (max + log Σ): the first difference is exact in float32 and the second
 * keeps the logarithm's accuracy, where rounding max + log Σ would cost an ulp of the max.
 */
export function softmaxKernel(rt: WebGpuRuntime, log: boolean): DeviceKernel {
  return ([x], attrs) => {
    const axis = attrs.axis as number;
    wgslType(x.dtype);
    const [buffer, result] = output(rt, x.shape, x.dtype);
    const n = x.shape[axis];
    const outer = sizeOf(x.shape.slice(0, axis));
    const inner = sizeOf(x.shape.slice(axis + 1));
    if (outer * inner * n === 0) return result;
    const code = (): string => `${bindings([['a', 'f32'], ['o', 'f32']])}
${metaBinding(2)}
${MATH}
${ELEMENT_MAIN}
  let n = m[1];
  let inner = m[2];
  let base = (i / inner) * n * inner + i % inner;
  var mx = a[base];
  var nan = isNanF(mx);
  for (var r = 1u; r < n; r++) {
    let v = a[base + r * inner];
    mx = max(mx, v);
    nan = nan || isNanF(v);
  }
  // A NaN in the line, or a +∞ (∞ − ∞ in the shift), makes all of it NaN, as on cpu.
  if (nan || (!isFiniteF(mx) && mx > 0.0)) {
    for (var r = 0u; r < n; r++) { o[base + r * inner] = nanF(); }
    return;
  }
  if (mx < -3.4e38) { mx = 0.0; }
  var s = 0.0;
  for (var r = 0u; r < n; r++) { s += exp(a[base + r * inner] - mx); }
  ${log ? 'let ls = select(log(s), -infF(), s == 0.0);' : ''}
  for (var r = 0u; r < n; r++) {
    let j = base + r * inner;
    o[j] = ${log ? '(a[j] - mx) - ls' : 'exp(a[j] - mx) / s'};
  }
}`;
    rt.dispatch(log ? 'logSoftmax' : 'softmax', code, [bufferOf(x), buffer], [outer * inner, n, inner], grid(outer * inner));
    return result;
  };
}
