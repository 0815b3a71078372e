import { ShapeError, ValueError } from '../errors.js';
import { tensor } from '../creation.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkTensor } from './operand.js';
import { expand, reshape } from './shape-ops.js';
import { indexSelect } from './indexing-gather.js';

/**
 * Repeats `x` `reps[i]` times along each axis, as `torch.tile`. A shorter `reps` is padded with 1s in
 * front; a longer one treats `x` as having leading axes of size 1. Computed as a broadcast of `x` over
 * interleaved repeat axes, so its gradient is the sum over the repeats.
 *
 * @example
 * tile(tensor([1, 2]), [2, 2]).toArray(); // [[1, 2, 1, 2], [1, 2, 1, 2]]
 */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  checkTensor('tile', x);
  if (reps.some((r) => !Number.isInteger(r) || r < 0)) {
    throw new ValueError('tile', `reps [${reps.join(', ')}] must be non-negative integers`);
  }
  const rank = Math.max(x.rank, reps.length);
  const shape = [...new Array<number>(rank - x.rank).fill(1), ...x.shape];
  const r = [...new Array<number>(rank - reps.length).fill(1), ...reps];
  const spread = shape.flatMap((d) => [1, d]);
  const repeated = shape.flatMap((d, i) => [r[i], d]);
  return reshape(expand(reshape(x, spread), repeated), shape.map((d, i) => d * r[i]));
}

/**
 * Repeats each element `repeats` times along `axis`, as `torch.repeat_interleave`: a number repeats every
 * element equally, an array gives one count per element. Without `axis` the input is flattened first.
 *
 * @example
 * repeatInterleave(tensor([1, 2]), 2).toArray();      // [1, 1, 2, 2]
 * repeatInterleave(tensor([1, 2]), [1, 3]).toArray(); // [1, 2, 2, 2]
 */
export function repeatInterleave(x: Tensor, repeats: number | readonly number[], axis?: number): Tensor {
  checkTensor('repeatInterleave', x);
  const input = axis === undefined ? reshape(x, [x.size]) : x;
  if (input.rank === 0) throw new ShapeError('repeatInterleave', 'cannot repeat along an axis of a 0-d tensor; omit axis');
  const a = normalizeAxis('repeatInterleave', axis ?? 0, input.rank);
  const n = input.shape[a];
  const counts = typeof repeats === 'number' ? [repeats] : [...repeats];
  if (counts.some((c) => !Number.isInteger(c) || c < 0)) {
    throw new ValueError('repeatInterleave', `repeats [${counts.join(', ')}] must be non-negative integers`);
  }
  if (counts.length === 1) {
    // Equal counts are a broadcast over a new axis after `a`, then merging the two.
    const spread = [...input.shape.slice(0, a + 1), 1, ...input.shape.slice(a + 1)];
    const repeated = [...spread];
    repeated[a + 1] = counts[0];
    const merged = [...input.shape];
    merged[a] = n * counts[0];
    return reshape(expand(reshape(input, spread), repeated), merged);
  }
  if (counts.length !== n) {
    throw new ShapeError('repeatInterleave', `got ${counts.length} repeats for axis ${axis ?? 0} of size ${n}; expected 1 or ${n}`);
  }
  const positions = new Int32Array(counts.reduce((s, c) => s + c, 0));
  for (let i = 0, o = 0; i < n; i++) positions.fill(i, o, (o += counts[i]));
  return indexSelect(input, a, tensor(positions));
}
