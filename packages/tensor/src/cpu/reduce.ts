import { registerKernel, type TensorData } from '../backend.js';
import { allocData, type DType, type TypedArray } from '../dtype.js';
import { sizeOf, stridesOf } from '../shape.js';

export type ReduceOp = 'sum' | 'prod' | 'max' | 'min';

/**
 * Splits `shape` around a reduction over sorted `axes`. When the axes form one contiguous block the
 * reduction is a plain [outer, reduced, inner] loop; otherwise `null`, and the caller walks indices.
 */
function asBlock(shape: readonly number[], axes: readonly number[]): [number, number, number] | null {
  for (let i = 1; i < axes.length; i++) if (axes[i] !== axes[i - 1] + 1) return null;
  const first = axes[0];
  const last = axes[axes.length - 1];
  let outer = 1;
  let n = 1;
  let inner = 1;
  for (let i = 0; i < shape.length; i++) {
    if (i < first) outer *= shape[i];
    else if (i <= last) n *= shape[i];
    else inner *= shape[i];
  }
  return [outer, n, inner];
}

function initial(op: ReduceOp): number {
  return op === 'sum' ? 0 : op === 'prod' ? 1 : op === 'max' ? -Infinity : Infinity;
}

function reduceBlock(op: ReduceOp, x: TypedArray, out: TypedArray, outer: number, n: number, inner: number): void {
  // Accumulate in a float64 scratch row so float32 sums do not lose precision.
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(initial(op));
    const base = o * n * inner;
    for (let r = 0; r < n; r++) {
      const row = base + r * inner;
      switch (op) {
        case 'sum': for (let i = 0; i < inner; i++) acc[i] += x[row + i]; break;
        case 'prod': for (let i = 0; i < inner; i++) acc[i] *= x[row + i]; break;
        // NaN wins, as in torch.max.
        case 'max': for (let i = 0; i < inner; i++) { const v = x[row + i]; if (v > acc[i] || v !== v) acc[i] = v; } break;
        case 'min': for (let i = 0; i < inner; i++) { const v = x[row + i]; if (v < acc[i] || v !== v) acc[i] = v; } break;
      }
    }
    for (let i = 0; i < inner; i++) out[o * inner + i] = acc[i];
  }
}

/** The shape left after dropping `axes`, without a closure (hot path). */
function keptAxes(shape: readonly number[], axes: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) if (axes.indexOf(i) < 0) out.push(shape[i]);
  return out;
}

/**
 * Reduces `outer` consecutive rows of `n` elements each to one value per row (a reduction over all
 * elements, or over the last axes). A scalar float64 accumulator: the same sums, in the same order, as
 * the float64 scratch row of the general walker.
 */
function reduceRows(op: ReduceOp, x: TypedArray, out: TypedArray, outer: number, n: number): void {
  for (let o = 0, base = 0; o < outer; o++, base += n) {
    const end = base + n;
    let acc = 0;
    switch (op) {
      case 'sum': for (let i = base; i < end; i++) acc += x[i]; break;
      case 'prod': acc = 1; for (let i = base; i < end; i++) acc *= x[i]; break;
      case 'max': acc = -Infinity; for (let i = base; i < end; i++) { const v = x[i]; if (v > acc || v !== v) acc = v; } break;
      case 'min': acc = Infinity; for (let i = base; i < end; i++) { const v = x[i]; if (v < acc || v !== v) acc = v; } break;
    }
    out[o] = acc;
  }
}

/** Float32 twin of the sum in `reduceRows`: a monomorphic loop for the common case (losses, means, softmax). */
function sumRowsF32(x: Float32Array, out: TypedArray, outer: number, n: number): void {
  for (let o = 0, base = 0; o < outer; o++, base += n) {
    const end = base + n;
    let acc = 0;
    for (let i = base; i < end; i++) acc += x[i];
    out[o] = acc;
  }
}

/** Sum over the leading rows, per column ([N, C] → [C], the gradient of a bias), for float32 input. */
function sumColumnsF32(x: Float32Array, out: TypedArray, outer: number, n: number, inner: number): void {
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    if (o > 0) acc.fill(0);
    const base = o * n * inner;
    for (let r = 0; r < n; r++) {
      const row = base + r * inner;
      for (let i = 0; i < inner; i++) acc[i] += x[row + i];
    }
    const oo = o * inner;
    for (let i = 0; i < inner; i++) out[oo + i] = acc[i];
  }
}

/** Reduces `x` over sorted `axes`; the result's shape drops them (the op adds them back for keepDims). */
export function reduceKernel(op: ReduceOp, x: TensorData, axes: readonly number[], dtype: DType): TensorData {
  const outShape = keptAxes(x.shape, axes);
  const out = allocData(dtype, sizeOf(outShape));
  if (axes.length === 0) {
    out.set(x.data as never);
    return { data: out, shape: outShape, dtype };
  }
  const block = asBlock(x.shape, axes);
  if (block) {
    const [outer, n, inner] = block;
    if (n === 0) out.fill(initial(op) as never);
    else if (inner === 1) {
      if (op === 'sum' && x.data instanceof Float32Array) sumRowsF32(x.data, out, outer, n);
      else reduceRows(op, x.data, out, outer, n);
    } else if (op === 'sum' && x.data instanceof Float32Array) sumColumnsF32(x.data, out, outer, n, inner);
    else reduceBlock(op, x.data, out, outer, n, inner);
    return { data: out, shape: outShape, dtype };
  }
  // General case: move reduced axes last with a permutation, then reduce one block.
  const kept: number[] = [];
  for (let i = 0; i < x.shape.length; i++) if (axes.indexOf(i) < 0) kept.push(i);
  const permuted = permuteData(x, [...kept, ...axes]);
  let n = 1;
  for (const a of axes) n *= x.shape[a];
  reduceBlock(op, permuted, out, sizeOf(outShape), n, 1);
  return { data: out, shape: outShape, dtype };
}

/** Copies `x` into the axis order `perm` (out axis i is input axis perm[i]). */
export function permuteData(x: TensorData, perm: readonly number[]): TypedArray {
  const size = x.data.length;
  const out = allocData(x.dtype, size);
  if (size === 0) return out;
  // Output axes that are adjacent and adjacent in the input too read as one: [T, N, H] → [N, T, H] is
  // then runs of H, and a permutation that moves nothing is one run.
  const inStrides = stridesOf(x.shape);
  const shape: number[] = [];
  const st: number[] = [];
  for (const p of perm) {
    const extent = x.shape[p];
    if (extent === 1) continue;
    const last = shape.length - 1;
    if (last >= 0 && st[last] === inStrides[p] * extent) {
      shape[last] *= extent;
      st[last] = inStrides[p];
    } else {
      shape.push(extent);
      st.push(inStrides[p]);
    }
  }
  const data = x.data;
  const rank = shape.length;
  if (rank === 0) {
    out.set(data);
    return out;
  }
  const n = shape[rank - 1];
  const s = st[rank - 1];
  // Contiguous runs of some length copy faster as blocks than element by element.
  const blocks = s === 1 && n >= 16;
  const counter = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < size; o += n) {
    if (blocks) out.set(data.subarray(src, src + n), o);
    else for (let i = 0, j = src; i < n; i++, j += s) out[o + i] = data[j];
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]++;
      src += st[d];
      if (counter[d] < shape[d]) break;
      src -= st[d] * shape[d];
      counter[d] = 0;
    }
  }
  return out;
}

/** Index of the max (or min) along `axis`; the first one on ties, as PyTorch. */
export function argReduceKernel(op: 'argmax' | 'argmin', x: TensorData, axis: number): TensorData {
  const outShape: number[] = [];
  for (let i = 0; i < x.shape.length; i++) if (i !== axis) outShape.push(x.shape[i]);
  const outer = sizeOf(x.shape.slice(0, axis));
  const n = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));
  const out = new Int32Array(outer * inner);
  const d = x.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best = d[base];
      let bestIdx = 0;
      for (let r = 1; r < n; r++) {
        const v = d[base + r * inner];
        if (best !== best) break;
        if (op === 'argmax' ? v > best || v !== v : v < best || v !== v) {
          best = v;
          bestIdx = r;
        }
      }
      out[o * inner + i] = bestIdx;
    }
  }
  return { data: out, shape: outShape, dtype: 'int32' };
}

export function registerReduceKernels(): void {
  for (const op of ['sum', 'prod', 'max', 'min'] as const) {
    registerKernel('cpu', op, ([x], attrs) => reduceKernel(op, x, attrs.axes as number[], (attrs.dtype as DType) ?? x.dtype));
  }
  for (const op of ['argmax', 'argmin'] as const) {
    registerKernel('cpu', op, ([x], attrs) => argReduceKernel(op, x, attrs.axis as number));
  }
  registerKernel('cpu', 'permute', ([x], attrs) => {
    const perm = attrs.perm as number[];
    return { data: permuteData(x, perm), shape: perm.map((p) => x.shape[p]), dtype: x.dtype };
  });
}
