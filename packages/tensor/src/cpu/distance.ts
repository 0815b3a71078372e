import type { KernelAttrs, TensorData } from '../backend.js';
import { allocData } from '../dtype.js';
import { sizeOf } from '../shape.js';

/** p-norm distances between the rows of [B, P, M] and [B, R, M], summed directly (no matmul form). */
export function cdistKernel([a, b]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const p = attrs.p as number;
  const shape = attrs.shape as number[];
  const r = a.shape.length;
  const [P, M] = [a.shape[r - 2], a.shape[r - 1]];
  const R = b.shape[r - 2];
  const batches = sizeOf(shape.slice(0, -2));
  const out = allocData(a.dtype, batches * P * R);
  const x = a.data;
  const y = b.data;
  for (let n = 0; n < batches; n++) {
    for (let i = 0; i < P; i++) {
      const xi = (n * P + i) * M;
      for (let j = 0; j < R; j++) {
        const yj = (n * R + j) * M;
        let acc = 0;
        for (let k = 0; k < M; k++) {
          const d = Math.abs(x[xi + k] - y[yj + k]);
          if (p === 2) acc += d * d;
          else if (p === 1) acc += d;
          else if (p === Infinity) acc = Math.max(acc, d);
          else if (p === 0) acc += d !== 0 ? 1 : 0;
          else acc += d ** p;
        }
        out[(n * P + i) * R + j] = p === 2 ? Math.sqrt(acc) : p === 1 || p === 0 || p === Infinity ? acc : acc ** (1 / p);
      }
    }
  }
  return { data: out, shape, dtype: a.dtype };
}
