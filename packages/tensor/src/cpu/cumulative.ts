import { registerKernel, type TensorData } from '../backend.js';
import { allocData, type DType } from '../dtype.js';
import { sizeOf } from '../shape.js';

type Scan = 'cumsum' | 'cumprod';

/** Running sum or product along `axis`, accumulated in float64 (exact for int32 within 2^53). */
function scan(op: Scan, x: TensorData, axis: number, dtype: DType): TensorData {
  const outer = sizeOf(x.shape.slice(0, axis));
  const n = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));
  const out = allocData(dtype, x.data.length);
  const d = x.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = op === 'cumsum' ? 0 : 1;
      for (let r = 0, p = o * n * inner + i; r < n; r++, p += inner) {
        acc = op === 'cumsum' ? acc + d[p] : acc * d[p];
        out[p] = acc;
      }
    }
  }
  return { data: out, shape: x.shape, dtype };
}

/**
 * Position of the running maximum (or minimum) along `axis`, as torch.cummax: a later equal value takes
 * over (`>=`), and once a NaN is seen the running value is NaN and each later NaN takes over.
 */
function runningExtremum(x: TensorData, axis: number, largest: boolean): TensorData {
  const outer = sizeOf(x.shape.slice(0, axis));
  const n = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));
  const out = new Int32Array(x.data.length);
  const d = x.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = NaN;
      let at = 0;
      for (let r = 0, p = o * n * inner + i; r < n; r++, p += inner) {
        const v = d[p];
        const take = r === 0 || v !== v || (best === best && (largest ? v >= best : v <= best));
        if (take) {
          best = v;
          at = r;
        }
        out[p] = at;
      }
    }
  }
  return { data: out, shape: x.shape, dtype: 'int32' };
}

export function registerCumulativeKernels(): void {
  for (const op of ['cumsum', 'cumprod'] as const) {
    registerKernel('cpu', op, ([x], attrs) => scan(op, x, attrs.axis as number, (attrs.dtype as DType) ?? x.dtype));
  }
  registerKernel('cpu', 'cummaxIndices', ([x], attrs) => runningExtremum(x, attrs.axis as number, true));
  registerKernel('cpu', 'cumminIndices', ([x], attrs) => runningExtremum(x, attrs.axis as number, false));
}
