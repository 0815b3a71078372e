import {
  cast, checkedValues, ne,
  DTypeError, ShapeError, Tensor, ValueError, eq, fmtShape, gather, mul, reshape, shapesEqual, where,
} from '@backprop/tensor';
import { checkFloat, checkIsTensor } from './checks.js';

/**
 * Class scores laid out as PyTorch's: [N, C, d1, …], or unbatched [C], seen as [outer, C, inner]. A
 * class-index target has the scores' shape without the class axis.
 */
export interface ClassLayout {
  axis: number;
  classes: number;
  outer: number;
  inner: number;
  targetShape: number[];
}

export function classLayout(loss: string, input: Tensor): ClassLayout {
  if (input.rank === 0) {
    throw new ShapeError(loss, `input is a scalar; expected class scores of shape [C], [N, C] or [N, C, d1, …]`);
  }
  const axis = input.rank === 1 ? 0 : 1;
  const rest = input.shape.slice(axis + 1);
  return {
    axis,
    classes: input.shape[axis],
    outer: axis === 0 ? 1 : input.shape[0],
    inner: rest.reduce((a, b) => a * b, 1),
    targetShape: input.shape.filter((_, i) => i !== axis),
  };
}

/**
 * Checks a class-index target against scores of `layout`: int32, the scores' shape without the class
 * axis, and every value a class in [0, C) or `ignoreIndex` (null: no index is ignored).
 */
export function checkClassIndices(loss: string, input: Tensor, target: unknown, layout: ClassLayout, ignoreIndex: number | null): Tensor {
  const t = checkIsTensor(loss, 'target', target);
  const expected = `class indices: an int32 target of shape ${fmtShape(layout.targetShape)} for input ${input.dtype} ${fmtShape(input.shape)}`;
  if (!shapesEqual(t.shape, layout.targetShape)) {
    throw new ShapeError(loss, `target is ${t.dtype} ${fmtShape(t.shape)}; expected ${expected}`);
  }
  if (t.dtype !== 'int32') throw new DTypeError(loss, `target is ${t.dtype} ${fmtShape(t.shape)}; expected ${expected}`);
  // Read as a check: a compiled step (`compile`) may replay this loss without it.
  const bad = checkedValues(t).findIndex((v) => v !== ignoreIndex && !(v >= 0 && v < layout.classes));
  if (bad >= 0) {
    const ignoring = ignoreIndex === null ? '' : ` (or ignoreIndex ${ignoreIndex})`;
    throw new ValueError(
      loss,
      `target class ${t.dataSync()[bad]} at flat index ${bad} is out of bounds for ${layout.classes} classes; ` +
        `expected 0 ≤ class < ${layout.classes}${ignoring}`,
    );
  }
  return t;
}

/** Checks an optional per-class weight: a float tensor of shape [C]. */
export function checkClassWeight(loss: string, weight: unknown, layout: ClassLayout): Tensor | undefined {
  if (weight === undefined) return undefined;
  const w = checkIsTensor(loss, 'weight', weight);
  checkFloat(loss, 'weight', w);
  if (!shapesEqual(w.shape, [layout.classes])) {
    throw new ShapeError(loss, `weight has shape ${fmtShape(w.shape)}; expected one weight per class, shape [${layout.classes}]`);
  }
  return w;
}

/**
 * A constant shaped like the scores holding `value(t, c, i)` at class c of target position i (flat index
 * into the target), whose class is t.
 * Targets are not differentiable, so this stands in for one-hot encodings and gathers.
 */
export function perClassConstant(
  scores: Tensor,
  target: Tensor,
  layout: ClassLayout,
  value: (t: number, c: number, position: number) => number,
): Tensor {
  const out = scores.dtype === 'float64' ? new Float64Array(scores.size) : new Float32Array(scores.size);
  const targets = target.dataSync();
  const { classes, outer, inner } = layout;
  for (let n = 0; n < outer; n++) {
    for (let k = 0; k < inner; k++) {
      const i = n * inner + k;
      const t = targets[i];
      for (let c = 0; c < classes; c++) out[(n * classes + c) * inner + k] = value(t, c, i);
    }
  }
  return new Tensor(out, scores.shape, scores.dtype);
}

/**
 * The pick of {@link pickTargetClass} without class weights, made of ops only (the targets are never read on
 * the host, so a compiled step can replay it): the weights are 1 where the target is not `ignoreIndex`
 * and 0 where it is. Returns the scaled picks and those weights, both of the target's shape.
 */
export function pickUnweightedTargetClass(scores: Tensor, target: Tensor, layout: ClassLayout, ignoreIndex: number): { picked: Tensor; kept: Tensor } {
  const { classes, outer, inner } = layout;
  const valid = ne(target, ignoreIndex);
  const index = reshape(where(valid, target, 0), [outer, 1, inner]);
  const picked = gather(reshape(scores, [outer, classes, inner]), 1, index);
  const kept = reshape(cast(valid, scores.dtype), [outer, 1, inner]);
  // As the weighted pick: a weight of 0 gives 0 even where the score is −∞.
  const scaled = where(eq(kept, 0), 0, mul(picked, kept));
  return { picked: reshape(scaled, layout.targetShape), kept: reshape(kept, layout.targetShape) };
}

/** The weight of each target (0 where ignored), so that PyTorch's weighted mean divides by their sum. */
export function targetWeights(target: Tensor, weight: Tensor | undefined, ignoreIndex: number | null): number[] {
  return Array.from(target.dataSync(), (t) => (t === ignoreIndex ? 0 : weight ? weight.dataSync()[t] : 1));
}

/**
 * scale[i]·scores[n, target[i], k] for every target position i = (n, k): the core of the NLL loss. A gather
 * along the class axis (its gradient is the scatter back), so it runs where the scores live; a position with
 * scale 0 (an ignored target) is 0 even where its score is −∞, and its index is taken as 0.
 */
export function pickTargetClass(scores: Tensor, target: Tensor, layout: ClassLayout, scale: number[]): Tensor {
  const { classes, outer, inner } = layout;
  const t = target.dataSync();
  const index = Int32Array.from(scale, (w, i) => (w === 0 ? 0 : Number(t[i])));
  const picked = gather(reshape(scores, [outer, classes, inner]), 1, new Tensor(index, [outer, 1, inner], 'int32'));
  const weights = new Tensor(scores.dtype === 'float64' ? Float64Array.from(scale) : Float32Array.from(scale), [outer, 1, inner], scores.dtype);
  const scaled = scale.every((w) => w === 1) ? picked : where(eq(weights, 0), 0, mul(picked, weights));
  return reshape(scaled, layout.targetShape);
}
