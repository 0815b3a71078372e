import { ShapeError, ValueError, fmtShape, type Tensor } from '@backprop/tensor';

/** A per-dimension layer option: one integer for every spatial dimension, or one per dimension. */
export type SpatialSize = number | readonly number[];

/**
 * `value` as one integer ≥ `min` per spatial dimension (PyTorch's `_single`/`_pair`), naming the layer and
 * option when it does not fit. Layers store the expanded list, so their configs are explicit.
 */
export function spatialList(layer: string, field: string, value: unknown, dims: number, min: number): number[] {
  const list = typeof value === 'number' ? new Array<number>(dims).fill(value) : Array.isArray(value) ? [...(value as unknown[])] : null;
  if (list === null || list.length !== dims || list.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < min)) {
    throw new ValueError(layer, `${field} must be an integer ≥ ${min} or a list of ${dims} of them, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return list as number[];
}

/**
 * Checks that `x` is `[N, C, ...spatial]` or unbatched `[C, ...spatial]` with C = `channels`, so a wrong
 * input fails with the layer's name instead of deep inside the op.
 */
export function checkChannels(layer: string, x: Tensor, spatial: number, channels: number): void {
  const layout = ['N', 'C', ...(spatial === 1 ? ['L'] : spatial === 2 ? ['H', 'W'] : [])];
  const batched = x.rank === spatial + 2;
  if ((!batched && x.rank !== spatial + 1) || x.shape[batched ? 1 : 0] !== channels) {
    const want = layout.map((d) => (d === 'C' ? String(channels) : d));
    throw new ShapeError(layer, `expected input of shape [${want.join(', ')}] or [${want.slice(1).join(', ')}], got ${fmtShape(x.shape)}`);
  }
}
