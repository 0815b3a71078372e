import { runKernel } from '../backend.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import { tensor } from '../creation.js';
import type { Tensor } from '../tensor.js';
import { checkTensor } from './operand.js';
import { indexSelect } from './indexing-gather.js';

/** How `pad` fills the border: a constant, a mirror image without the edge, the edge, or wrapping around. */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

const MODES: readonly PadMode[] = ['constant', 'reflect', 'replicate', 'circular'];

/** Where output position `o` of a padded axis reads from in an axis of size n padded by `before`. */
function sourcePositions(mode: PadMode, n: number, before: number, after: number): Int32Array {
  const out = new Int32Array(before + n + after);
  for (let o = 0; o < out.length; o++) {
    const i = o - before;
    if (mode === 'reflect') out[o] = i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
    else if (mode === 'replicate') out[o] = Math.min(Math.max(i, 0), n - 1);
    else out[o] = ((i % n) + n) % n;
  }
  return out;
}

function checkBorder(mode: PadMode, n: number, before: number, after: number, axis: number): void {
  const largest = Math.max(before, after);
  const fits = mode === 'reflect' ? largest < n : mode === 'circular' ? largest <= n : n > 0;
  if (!fits) {
    const need = mode === 'reflect' ? `less than the size ${n}` : mode === 'circular' ? `at most the size ${n}` : 'a non-empty axis';
    throw new ValueError('pad', `${mode} padding of ${largest} on axis ${axis} needs ${need}`);
  }
}

/**
 * Pads `x` as `torch.nn.functional.pad`: `pads` lists amounts for the last axis first, as
 * [left, right, top, bottom, front, back, …], so [1, 1] pads the last axis and [1, 1, 2, 2] the last two.
 * `mode` is 'constant' (fill with `value`; negative amounts crop), 'reflect' (mirror without repeating the
 * edge; each amount must be smaller than the axis), 'replicate' (repeat the edge) or 'circular' (wrap).
 * Unlike PyTorch, the non-constant modes work on any number of trailing axes and need no batch axis.
 *
 * @example
 * pad(tensor([[1, 2, 3]]), [2, 1], 'reflect').toArray(); // [[3, 2, 1, 2, 3, 2]]
 * pad(tensor([1, 2]), [1, 0], 'constant', 9).toArray(); // [9, 1, 2]
 */
export function pad(x: Tensor, pads: readonly number[], mode: PadMode = 'constant', value = 0): Tensor {
  checkTensor('pad', x);
  if (!MODES.includes(mode)) throw new ValueError('pad', `unknown mode '${mode}', expected one of ${MODES.join(', ')}`);
  if (pads.length % 2 !== 0 || pads.length > 2 * x.rank) {
    throw new ShapeError('pad', `pads [${pads.join(', ')}] must have an even length of at most 2 × rank = ${2 * x.rank} for shape ${fmtShape(x.shape)}`);
  }
  if (pads.some((p) => !Number.isInteger(p) || (mode !== 'constant' && p < 0))) {
    const what = mode === 'constant' ? 'integers' : `non-negative integers in ${mode} mode`;
    throw new ValueError('pad', `pads [${pads.join(', ')}] must be ${what}`);
  }
  const before = new Array<number>(x.rank).fill(0);
  const after = new Array<number>(x.rank).fill(0);
  for (let i = 0; i < pads.length / 2; i++) {
    before[x.rank - 1 - i] = pads[2 * i];
    after[x.rank - 1 - i] = pads[2 * i + 1];
  }
  if (pads.every((p) => p === 0)) return x;
  if (mode !== 'constant') {
    // A border of any mode is a fixed map from output to input positions, one axis at a time: an index
    // select, which also gives the gradient (contributions of repeated positions add up).
    let out = x;
    for (let axis = 0; axis < x.rank; axis++) {
      if (before[axis] === 0 && after[axis] === 0) continue;
      checkBorder(mode, x.shape[axis], before[axis], after[axis], axis);
      out = indexSelect(out, axis, tensor(sourcePositions(mode, x.shape[axis], before[axis], after[axis])));
    }
    return out;
  }
  const shape = x.shape.map((n, d) => n + before[d] + after[d]);
  if (shape.some((n) => n < 0)) {
    throw new ShapeError('pad', `pads [${pads.join(', ')}] crop shape ${fmtShape(x.shape)} to a negative size ${fmtShape(shape)}`);
  }
  const attrs = { pads: [...pads], before, after, value };
  return recordOp('pad', [x], attrs, wrap(runKernel('pad', [x], attrs)));
}
