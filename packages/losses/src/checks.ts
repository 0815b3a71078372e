import { DTypeError, ShapeError, Tensor, broadcastShapes, fmtShape, isFloat, shapesEqual } from '@backprop/tensor';

const describe = (t: Tensor): string => `${t.dtype} ${fmtShape(t.shape)}`;

/** Throws unless `value` is a tensor; `role` says which argument it was (input, target, weight). */
export function checkIsTensor(loss: string, role: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) {
    throw new DTypeError(loss, `${role} must be a Tensor, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

/** Throws unless `t` is float32 or float64. */
export function checkFloat(loss: string, role: string, t: Tensor): void {
  if (!isFloat(t.dtype)) throw new DTypeError(loss, `${role} has dtype ${t.dtype}; expected float32 or float64`);
}

/**
 * Checks a prediction and a target that are compared element by element: both float tensors of one shape
 * (or an int32 target where `intTarget` allows it). PyTorch broadcasts some of these with a warning; we
 * refuse, because a [N] target against an [N, 1] prediction silently builds an N×N loss.
 */
export function checkPair(loss: string, input: unknown, target: unknown, intTarget = false): [Tensor, Tensor] {
  const x = checkIsTensor(loss, 'input', input);
  const y = checkIsTensor(loss, 'target', target);
  checkFloat(loss, 'input', x);
  if (!isFloat(y.dtype) && !(intTarget && y.dtype === 'int32')) {
    throw new DTypeError(
      loss,
      `target is ${describe(y)} but input is ${describe(x)}; expected a ${intTarget ? 'float or int32' : 'float'} target of the input's shape`,
    );
  }
  if (!shapesEqual(x.shape, y.shape)) {
    throw new ShapeError(loss, `target is ${describe(y)} but input is ${describe(x)}; expected the target to have the input's shape`);
  }
  return [x, y];
}

/** Checks an optional float tensor option (a weight) that must broadcast to the input's shape. */
export function checkBroadcastWeight(loss: string, role: string, weight: unknown, input: Tensor): Tensor | undefined {
  if (weight === undefined) return undefined;
  const w = checkIsTensor(loss, role, weight);
  checkFloat(loss, role, w);
  let fits: boolean;
  try {
    fits = shapesEqual(broadcastShapes(loss, w.shape, input.shape), input.shape);
  } catch {
    fits = false;
  }
  if (!fits) {
    throw new ShapeError(loss, `${role} of shape ${fmtShape(w.shape)} does not broadcast to the input's shape ${fmtShape(input.shape)}`);
  }
  return w;
}
