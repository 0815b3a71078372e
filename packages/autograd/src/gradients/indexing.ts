import {
  expand, flip, gather, pad, reshape, scatterAdd, slice, sumToShape, where, zeros, type Tensor,
} from '@backprop/tensor';
import { registerGradient, registerNonDifferentiable } from '../registry.js';

/** Pads (or, with negative amounts, crops) one axis with zeros, in F.pad's last-axis-first order. */
function padAxis(t: Tensor, axis: number, before: number, after: number): Tensor {
  const pads = new Array<number>(2 * (t.rank - axis)).fill(0);
  pads[2 * (t.rank - 1 - axis)] = before;
  pads[2 * (t.rank - 1 - axis) + 1] = after;
  return pad(t, pads);
}

/** Zero-pads `t` at the end of every axis up to `shape`. */
function padTo(t: Tensor, shape: readonly number[]): Tensor {
  const pads: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) pads.push(0, shape[d] - t.shape[d]);
  return pad(t, pads);
}

/**
 * The gradient of a slice puts g back at positions start, start + step, … of a zero tensor of the input's
 * shape. For step > 1 each element of g is first followed by step − 1 zeros (a pad on a new axis after
 * `axis`, then a merge), so the rule is made of pads and reshapes and is differentiable again.
 */
function unslice(g: Tensor, x: Tensor, axis: number, start: number, step: number, length: number): Tensor {
  const n = x.shape[axis];
  if (step === 1) return padAxis(g, axis, start, n - start - length);
  const spread = [...g.shape.slice(0, axis + 1), 1, ...g.shape.slice(axis + 1)];
  const strided = padAxis(reshape(g, spread), axis + 1, 0, step - 1);
  const merged = [...g.shape];
  merged[axis] = length * step;
  // The last element's trailing zeros may run past the end of the axis: a negative pad crops them.
  return padAxis(reshape(strided, merged), axis, start, n - start - length * step);
}

export function registerIndexingGradients(): void {
  registerGradient('where', (g, { inputs: [cond, a, b], needsGrad }) => [
    null,
    needsGrad[1] ? sumToShape(where(cond, g, 0), a.shape) : null,
    needsGrad[2] ? sumToShape(where(cond, 0, g), b.shape) : null,
  ]);

  registerGradient('concat', (g, { inputs, attrs, needsGrad }) => {
    const axis = attrs.axis as number;
    let offset = 0;
    return inputs.map((x, i) => {
      const start = offset;
      offset += x.shape[axis];
      return needsGrad[i] ? slice(g, axis, start, offset) : null;
    });
  });

  registerGradient('slice', (g, { inputs: [x], attrs }) => [
    unslice(g, x, attrs.axis as number, attrs.start as number, attrs.step as number, attrs.length as number),
  ]);

  registerGradient('flip', (g, { attrs }) => [flip(g, attrs.axes as number[])]);

  // Constant padding by p is undone by padding by −p: padded borders are cropped, cropped ones come back as 0.
  registerGradient('pad', (g, { attrs }) => [pad(g, (attrs.pads as number[]).map((p) => -p))]);

  registerGradient('gather', (g, { inputs: [x, index], attrs }) => [
    scatterAdd(zeros(x.shape, { dtype: g.dtype }), attrs.axis as number, index, g),
    null,
  ]);

  registerGradient('scatterAdd', (g, { inputs: [, index, src], attrs, needsGrad }) => [
    g,
    null,
    // src may be larger than the index; its elements past the index received nothing.
    needsGrad[2] ? padTo(gather(g, attrs.axis as number, index), src.shape) : null,
  ]);

  // index_add as a scatterAdd whose index is the 1-d index broadcast over the other axes of g.
  registerGradient('indexSelect', (g, { inputs: [x, index], attrs }) => {
    const axis = attrs.axis as number;
    const line = g.shape.map((d, k) => (k === axis ? d : 1));
    return [scatterAdd(zeros(x.shape, { dtype: g.dtype }), axis, expand(reshape(index, line), g.shape), g), null];
  });

  registerNonDifferentiable('oneHot');
}
