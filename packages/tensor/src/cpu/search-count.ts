import type { KernelAttrs, TensorData } from '../backend.js';
import { allocData, type DType } from '../dtype.js';
import { sizeOf } from '../shape.js';

/**
 * Binary search of each value in its row of the sorted sequence, with PyTorch's comparisons (`!(s ≥ v)`
 * for the left side, `!(s > v)` for the right), which put a NaN value after every number.
 */
export function searchsortedKernel(inputs: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const [seq, values, sorter] = inputs;
  const right = attrs.right as boolean;
  const n = seq.shape[seq.shape.length - 1];
  const s = seq.data;
  const v = values.data;
  const order = sorter?.data;
  const perRow = seq.shape.length === 1 ? v.length : values.shape[values.shape.length - 1];
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const base = seq.shape.length === 1 ? 0 : Math.floor(i / perRow) * n;
    const x = v[i];
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const at = s[base + (order ? order[base + mid] : mid)];
      if (right ? !(at > x) : !(at >= x)) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo;
  }
  return { data: out, shape: attrs.shape as number[], dtype: 'int32' };
}

/** Counts (or sums the weights of) each value of a 1-D int32 tensor into `length` bins. */
export function bincountKernel([x, w]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const length = attrs.length as number;
  const dtype = attrs.dtype as DType;
  const out = allocData(dtype, length);
  const idx = x.data;
  if (w === undefined) for (let i = 0; i < idx.length; i++) out[idx[i]] += 1;
  else for (let i = 0; i < idx.length; i++) out[idx[i]] += w.data[i];
  return { data: out, shape: [length], dtype };
}

/**
 * Equal-width histogram: bin ⌊(x − min)·bins/(max − min)⌋, the maximum in the last bin, anything outside
 * [min, max] (or NaN) ignored. The position is computed in the input's precision, as PyTorch does.
 */
export function histcKernel([x]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const bins = attrs.bins as number;
  const round = x.dtype === 'float32' ? Math.fround : (v: number): number => v;
  const min = round(attrs.min as number);
  const max = round(attrs.max as number);
  const out = allocData(x.dtype, bins);
  const src = x.data;
  for (let i = 0; i < sizeOf(x.shape); i++) {
    const v = src[i];
    if (!(v >= min && v <= max)) continue;
    let pos = Math.floor(round(round(round(v - min) * bins) / round(max - min)));
    if (pos === bins) pos -= 1;
    out[pos] += 1;
  }
  return { data: out, shape: [bins], dtype: x.dtype };
}
