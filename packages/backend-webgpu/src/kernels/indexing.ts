import { sizeOf, stridesOf, type DType, type DeviceKernel } from '@backprop/tensor';
import { grid, valueBits, wgslType, type WebGpuRuntime } from '../runtime.js';
import { fill } from './layout.js';
import { bindings, bufferOf, ELEMENT_MAIN, metaBinding, output } from './util.js';

// Index tensors are int32 and already range-checked by the ops. Values move as 32-bit words, except in
// scatterAdd, which adds.

/** WGSL: `xo`, the offset in x of the element the index element `i` points at (walk of the index's shape). */
const INDEXED_OFFSET = `
  let rank = m[1];
  let axis = m[2];
  var rem = i;
  var xo = 0u;
  var so = 0u;
  for (var k = 0u; k < rank; k++) {
    let d = rank - 1u - k;
    let extent = m[3u + d];
    let c = rem % extent;
    rem = rem / extent;
    so += c * m[3u + 2u * rank + d];
    if (d != axis) { xo += c * m[3u + rank + d]; }
  }
  xo += u32(idx[i]) * m[3u + rank + axis];`;

/** out[i…] = x[i…, with i[axis] replaced by index[i…]]; the output has the index's shape. */
export function gatherKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x, index], attrs) => {
    wgslType(x.dtype);
    const [buffer, result] = output(rt, index.shape, x.dtype);
    const n = sizeOf(index.shape);
    if (n === 0) return result;
    const rank = index.shape.length;
    const code = (): string => `${bindings([['x', 'u32'], ['idx', 'i32'], ['o', 'u32']])}
${metaBinding(3)}
${ELEMENT_MAIN}
  ${INDEXED_OFFSET}
  o[i] = x[xo];
}`;
    const meta = [n, rank, attrs.axis as number, ...index.shape, ...stridesOf(x.shape), ...stridesOf(index.shape)];
    rt.dispatch('gather', code, [bufferOf(x), bufferOf(index), buffer], meta, grid(n));
    return result;
  };
}

/**
 * A copy of x with src[i…] added at x[i…, with i[axis] replaced by index[i…]]. Several index elements may
 * hit one target, so additions are atomic: integer atomics for int32, a compare-exchange loop on the bits
 * for float32 (the order of additions to one target is then unspecified).
 */
export function scatterAddKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x, index, src], attrs) => {
    const t = wgslType(x.dtype);
    const [buffer, result] = output(rt, x.shape, x.dtype);
    rt.copy(bufferOf(x), buffer, sizeOf(x.shape));
    const n = sizeOf(index.shape);
    if (n === 0) return result;
    const rank = index.shape.length;
    const add =
      t === 'f32'
        ? `var old = atomicLoad(&o[xo]);
  loop {
    let next = bitcast<u32>(bitcast<f32>(old) + bitcast<f32>(s[so]));
    let r = atomicCompareExchangeWeak(&o[xo], old, next);
    if (r.exchanged) { break; }
    old = r.old_value;
  }`
        : 'atomicAdd(&o[xo], s[so]);';
    const word = t === 'f32' ? 'u32' : t;
    const code = (): string => `${bindings([['idx', 'i32'], ['s', word]], false)}
@group(0) @binding(2) var<storage, read_write> o: array<atomic<${word}>>;
${metaBinding(3)}
${ELEMENT_MAIN}
  ${INDEXED_OFFSET}
  ${add}
}`;
    const meta = [n, rank, attrs.axis as number, ...index.shape, ...stridesOf(x.shape), ...stridesOf(src.shape)];
    rt.dispatch(`scatterAdd:${t}`, code, [bufferOf(index), bufferOf(src), buffer], meta, grid(n));
    return result;
  };
}

/** x viewed as [outer, n, inner]: copies the inner blocks the 1-d index picks. */
export function indexSelectKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x, index], attrs) => {
    wgslType(x.dtype);
    const axis = attrs.axis as number;
    const k = sizeOf(index.shape);
    const shape = [...x.shape];
    shape[axis] = k;
    const [buffer, result] = output(rt, shape, x.dtype);
    const size = sizeOf(shape);
    if (size === 0) return result;
    const inner = sizeOf(x.shape.slice(axis + 1));
    const code = (): string => `${bindings([['x', 'u32'], ['idx', 'i32'], ['o', 'u32']])}
${metaBinding(3)}
${ELEMENT_MAIN}
  let k = m[1];
  let n = m[2];
  let inner = m[3];
  let c = i % inner;
  let j = (i / inner) % k;
  let outer = i / (inner * k);
  o[i] = x[(outer * n + u32(idx[j])) * inner + c];
}`;
    rt.dispatch('indexSelect', code, [bufferOf(x), bufferOf(index), buffer], [size, k, x.shape[axis], inner], grid(size));
    return result;
  };
}

/** A new last axis of attrs.numClasses entries, 1 at each index and 0 elsewhere, in attrs.dtype. */
export function oneHotKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([indices], attrs) => {
    const classes = attrs.numClasses as number;
    const dtype = attrs.dtype as DType;
    wgslType(dtype);
    const [buffer, result] = output(rt, [...indices.shape, classes], dtype);
    const k = sizeOf(indices.shape);
    fill(rt, buffer, k * classes, 0, dtype);
    if (k * classes === 0) return result;
    const code = (): string => `${bindings([['idx', 'i32'], ['o', 'u32']])}
${metaBinding(2)}
${ELEMENT_MAIN}
  o[i * m[1] + u32(idx[i])] = m[2];
}`;
    rt.dispatch('oneHot', code, [bufferOf(indices), buffer], [k, classes, valueBits(1, dtype)], grid(k));
    return result;
  };
}
