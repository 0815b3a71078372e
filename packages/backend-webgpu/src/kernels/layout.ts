import { broadcastStrides, sizeOf, stridesOf, type DType, type DeviceKernel, type DeviceTensorData } from '@backprop/tensor';
import { grid, valueBits, wgslType, type WebGpuRuntime } from '../runtime.js';
import { bindings, bufferOf, ELEMENT_MAIN, metaBinding, output, walk } from './util.js';

// Every layout kernel is a strided copy of 32-bit words over a region: element at multi-index i moves from
// src[srcOffset + Σ i·srcStrides] to dst[dstOffset + Σ i·dstStrides]. Permute, expand, slice, flip, pad
// and concat differ only in the strides and offsets (negative strides walk backwards).

const COPY = (): string => `${bindings([['src', 'u32'], ['dst', 'u32']])}
${metaBinding(2)}
${ELEMENT_MAIN}
  ${walk(2, 4, 2)}
  dst[off1] = src[off0];
}`;

const FILL = (): string => `${bindings([['dst', 'u32']])}
${metaBinding(1)}
${ELEMENT_MAIN}
  dst[i] = m[1];
}`;

/** Copies the `shape` region from `src` to `dst` with the given offsets and strides. */
export function stridedCopy(
  rt: WebGpuRuntime, src: GPUBuffer, srcOffset: number, srcStrides: readonly number[],
  dst: GPUBuffer, dstOffset: number, dstStrides: readonly number[], shape: readonly number[],
): void {
  const n = sizeOf(shape);
  if (n === 0) return;
  rt.dispatch('copy', COPY, [src, dst], [n, shape.length, srcOffset, dstOffset, ...shape, ...srcStrides, ...dstStrides], grid(n));
}

/** Sets the `n` elements of `dst` to `value` in `dtype`'s bits. */
export function fill(rt: WebGpuRuntime, dst: GPUBuffer, n: number, value: number, dtype: DType): void {
  if (n === 0) return;
  rt.dispatch('fill', FILL, [dst], [n, valueBits(value, dtype)], grid(n));
}

/** A contiguous copy of `x` with axes in the order `perm`. */
export function permuteTo(rt: WebGpuRuntime, x: DeviceTensorData, perm: readonly number[]): DeviceTensorData {
  wgslType(x.dtype);
  const shape = perm.map((p) => x.shape[p]);
  const [buffer, result] = output(rt, shape, x.dtype);
  const st = stridesOf(x.shape);
  stridedCopy(rt, bufferOf(x), 0, perm.map((p) => st[p]), buffer, 0, stridesOf(shape), shape);
  return result;
}

export function permuteKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x], attrs) => permuteTo(rt, x, attrs.perm as number[]);
}

export function expandKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x], attrs) => {
    wgslType(x.dtype);
    const shape = attrs.shape as number[];
    const [buffer, result] = output(rt, shape, x.dtype);
    stridedCopy(rt, bufferOf(x), 0, broadcastStrides(x.shape, shape), buffer, 0, stridesOf(shape), shape);
    return result;
  };
}

export function sliceKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x], attrs) => {
    wgslType(x.dtype);
    const axis = attrs.axis as number;
    const shape = [...x.shape];
    shape[axis] = attrs.length as number;
    const [buffer, result] = output(rt, shape, x.dtype);
    const st = stridesOf(x.shape);
    const offset = (attrs.start as number) * st[axis];
    st[axis] *= attrs.step as number;
    stridedCopy(rt, bufferOf(x), offset, st, buffer, 0, stridesOf(shape), shape);
    return result;
  };
}

export function flipKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x], attrs) => {
    wgslType(x.dtype);
    const [buffer, result] = output(rt, x.shape, x.dtype);
    const st = stridesOf(x.shape);
    let offset = 0;
    for (const a of attrs.axes as number[]) {
      if (x.shape[a] > 0) offset += (x.shape[a] - 1) * st[a];
      st[a] = -st[a];
    }
    stridedCopy(rt, bufferOf(x), offset, st, buffer, 0, stridesOf(x.shape), x.shape);
    return result;
  };
}

/** Constant padding (negative amounts crop): fill with `value`, then copy the overlap. */
export function padKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x], attrs) => {
    wgslType(x.dtype);
    const before = attrs.before as number[];
    const after = attrs.after as number[];
    const shape = x.shape.map((n, d) => n + before[d] + after[d]);
    const [buffer, result] = output(rt, shape, x.dtype);
    fill(rt, buffer, sizeOf(shape), attrs.value as number, x.dtype);
    const srcStrides = stridesOf(x.shape);
    const dstStrides = stridesOf(shape);
    let srcOffset = 0;
    let dstOffset = 0;
    const overlap = x.shape.map((n, d) => {
      const lo = Math.max(0, before[d]);
      const hi = Math.min(shape[d], before[d] + n);
      srcOffset += (lo - before[d]) * srcStrides[d];
      dstOffset += lo * dstStrides[d];
      return Math.max(0, hi - lo);
    });
    stridedCopy(rt, bufferOf(x), srcOffset, srcStrides, buffer, dstOffset, dstStrides, overlap);
    return result;
  };
}

/** Each input is copied into its block of the output along `axis`. */
export function concatKernel(rt: WebGpuRuntime): DeviceKernel {
  return (inputs, attrs) => {
    const axis = attrs.axis as number;
    const first = inputs[0];
    wgslType(first.dtype);
    const shape = [...first.shape];
    shape[axis] = 0;
    for (const x of inputs) shape[axis] += x.shape[axis];
    const [buffer, result] = output(rt, shape, first.dtype);
    const dstStrides = stridesOf(shape);
    let offset = 0;
    for (const x of inputs) {
      stridedCopy(rt, bufferOf(x), 0, stridesOf(x.shape), buffer, offset, dstStrides, x.shape);
      offset += x.shape[axis] * dstStrides[axis];
    }
    return result;
  };
}
