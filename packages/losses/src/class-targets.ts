import {
  DTypeError, ShapeError, Tensor, ValueError, fmtShape, mul, reshape, shapesEqual,
} from '@backprop/tensor';
import { checkFloat, checkIsTensor } from './checks.js';
import { lazyOp } from './lazy-op.js';

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
  const bad = t.dataSync().findIndex((v) => v !== ignoreIndex && !(v >= 0 && v < layout.classes));
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

/** The weight of each target (0 where ignored), so that PyTorch's weighted mean divides by their sum. */
export function targetWeights(target: Tensor, weight: Tensor | undefined, ignoreIndex: number | null): number[] {
  return Array.from(target.dataSync(), (t) => (t === ignoreIndex ? 0 : weight ? weight.dataSync()[t] : 1));
}

type PickAttrs = { layout: ClassLayout; scale: number[] };

// A gather of each position's target-class score, scaled; the backward scatters the gradient back. Used
// instead of a one-hot product so that a −∞ score of another class does not turn into 0·∞ = NaN.
const pickOp = lazyOp<PickAttrs>({
  name: 'losses.pickTargetClass',
  forward: ([scores, target], { layout, scale }) => {
    const size = layout.targetShape.reduce((a, b) => a * b, 1);
    const out = scores.dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
    const [s, t] = [scores.dataSync(), target.dataSync()];
    const { classes, inner } = layout;
    for (let i = 0; i < size; i++) {
      const n = Math.floor(i / inner);
      out[i] = scale[i] === 0 ? 0 : scale[i] * s[(n * classes + t[i]) * inner + (i % inner)];
    }
    return new Tensor(out, layout.targetShape, scores.dtype);
  },
  backward: (g, { inputs: [scores, target], attrs: { layout, scale } }) => {
    const spread = perClassConstant(scores, target, layout, (t, c, i) => (c === t ? scale[i] : 0));
    const kept = [...layout.targetShape];
    kept.splice(layout.axis, 0, 1);
    return [mul(reshape(g, kept), spread), null];
  },
});

/** scale[i]·scores[n, target[i], k] for every target position i = (n, k): the core of the NLL loss. */
export function pickTargetClass(scores: Tensor, target: Tensor, layout: ClassLayout, scale: number[]): Tensor {
  return pickOp([scores, target], { layout, scale });
}
