import { runKernel } from '../backend.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { checkedValues } from '../compile/hooks.js';
import { wrap } from '../make.js';
import { shapesEqual, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkTensor, requireFloat } from './operand.js';

/** Checks int32 `indices` [..., oH, oW] against planes [..., H, W]: same leading axes, every index in range. */
function checkPlaneIndices(op: string, indices: Tensor, lead: readonly number[], planeSize: number): void {
  checkTensor(op, indices);
  if (indices.dtype !== 'int32') throw new DTypeError(op, `indices must be int32, got ${indices.dtype}`);
  if (indices.rank !== lead.length + 2 || !shapesEqual(indices.shape.slice(0, -2), lead)) {
    throw new ShapeError(op, `indices ${fmtShape(indices.shape)} must have rank ${lead.length + 2} and leading axes ${fmtShape(lead)}`);
  }
  // As for gather: indices computed on a device (max pooling's argmax) are not read back to be checked.
  if (!indices.storage.isHost) return;
  const data = checkedValues(indices);
  for (let i = 0; i < data.length; i++) {
    if (!(data[i] >= 0 && data[i] < planeSize)) {
      throw new ValueError(op, `index ${data[i]} at flat position ${i} is outside a plane of ${planeSize} elements`);
    }
  }
}

/**
 * Takes from each trailing 2-D plane of `x` [..., H, W] the elements at the flat plane indices
 * `indices` [..., oH, oW] (h·W + w, the layout of `maxPool2dWithIndices`). Max pooling gathers its values
 * this way; the gradient is `scatterAddPlanes`.
 *
 * @example
 * gatherPlanes(tensor([[[1, 2], [3, 4]]]), tensor([[[3, 0]]], 'int32')).toArray(); // [[[4, 1]]]
 */
export function gatherPlanes(x: Tensor, indices: Tensor): Tensor {
  const op = 'gatherPlanes';
  checkTensor(op, x);
  requireFloat(op, x);
  if (x.rank < 2) throw new ShapeError(op, `x must have rank ≥ 2 ([..., H, W]), got ${fmtShape(x.shape)}`);
  checkPlaneIndices(op, indices, x.shape.slice(0, -2), sizeOf(x.shape.slice(-2)));
  return gatherPlanesInRange(x, indices);
}

/**
 * `gatherPlanes` without the checks, for int32 indices of x's leading axes that the caller has just
 * computed in range (max pooling's argmax kernel): checking them would read every index back for
 * nothing. The same kernel, recorded as the same op. With `argmax`, the kernel is told that `indices`
 * are the argmax just computed from these very values, nothing having run in between, so a backend whose
 * argmax kernel kept the maxima may return them (the wasm backend does). Internal: not exported from the
 * package.
 */
export function gatherPlanesInRange(x: Tensor, indices: Tensor, argmax = false): Tensor {
  const out = wrap(runKernel('gatherPlanes', [x, indices], argmax ? { argmax: true } : {}));
  return recordOp('gatherPlanes', [x, indices], {}, out);
}

/**
 * The adjoint of `gatherPlanes`: zeros of shape [..., ...planeShape] into which each element of `src`
 * [..., oH, oW] is added at its plane index (repeated indices accumulate, as max pooling's backward
 * needs when windows overlap).
 *
 * @example
 * scatterAddPlanes(tensor([[[5, 6]]]), tensor([[[3, 3]]], 'int32'), [2, 2]).toArray(); // [[[0, 0], [0, 11]]]
 */
export function scatterAddPlanes(src: Tensor, indices: Tensor, planeShape: readonly [number, number]): Tensor {
  const op = 'scatterAddPlanes';
  checkTensor(op, src);
  requireFloat(op, src);
  if (src.rank < 2) throw new ShapeError(op, `src must have rank ≥ 2 ([..., oH, oW]), got ${fmtShape(src.shape)}`);
  if (planeShape.length !== 2 || planeShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ValueError(op, `planeShape must be two positive integers [H, W], got [${planeShape.join(', ')}]`);
  }
  const lead = src.shape.slice(0, -2);
  checkPlaneIndices(op, indices, lead, planeShape[0] * planeShape[1]);
  if (!shapesEqual(indices.shape, src.shape)) {
    throw new ShapeError(op, `src ${fmtShape(src.shape)} and indices ${fmtShape(indices.shape)} must have the same shape`);
  }
  const attrs = { shape: [...lead, ...planeShape] };
  const out = wrap(runKernel(op, [src, indices], attrs));
  return recordOp(op, [src, indices], attrs, out);
}
