import { Generator, Tensor, cast, isFloat, mul, randn, sum } from '@backprop/tensor';
import { AutogradError } from './errors.js';
import { gradients, noGrad, enableGrad } from './functional.js';

export interface GradCheckOptions {
  /** Finite-difference step (default 1e-6, in float64). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Seed of the random projection that reduces a non-scalar output to a scalar (default 0). */
  seed?: number;
}

export interface GradCheckMismatch {
  /** Which argument of `f`. */
  input: number;
  /** Position of the element in that argument. */
  position: number[];
  analytic: number;
  numeric: number;
}

export interface GradCheckResult {
  ok: boolean;
  /** The largest |analytic − numeric| over every element checked. */
  maxAbsError: number;
  /** The element that is furthest outside (or closest to) the tolerance. */
  worst: GradCheckMismatch | null;
  /** A sentence describing the result, for test failures and the CLI. */
  message: string;
}

function positionOf(index: number, shape: readonly number[]): number[] {
  const pos = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    pos[d] = index % shape[d];
    index = Math.floor(index / shape[d]);
  }
  return pos;
}

/**
 * Checks the analytic gradient of `f` against central finite differences in float64. Float inputs are
 * converted to float64 and checked element by element; other inputs (indices, labels) are passed as they
 * are. A non-scalar output is reduced with a fixed random projection.
 *
 * @example
 * const r = gradCheck((x) => x.tanh().sum(), [randn([3, 4])]);
 * if (!r.ok) throw new Error(r.message);
 */
export function gradCheck(f: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradCheckOptions = {}): GradCheckResult {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  const leaves = inputs.map((x) => (isFloat(x.dtype) ? new Tensor(Float64Array.from(x.dataSync()), x.shape, 'float64').requiresGrad_() : x));
  const checked = leaves.map((x, i) => (isFloat(inputs[i].dtype) ? i : -1)).filter((i) => i >= 0);
  if (checked.length === 0) throw new AutogradError('gradCheck: no float input to check');

  let projection: Tensor | null = null;
  const scalarOf = (out: Tensor): Tensor => {
    const y = cast(out, 'float64');
    if (y.size === 1) return sum(y);
    projection ??= randn(y.shape, { dtype: 'float64', generator: new Generator(options.seed ?? 0) });
    return sum(mul(y, projection));
  };
  const evaluate = (): number => noGrad(() => scalarOf(f(...leaves)).item());

  const out = enableGrad(() => scalarOf(f(...leaves)));
  if (!out.requiresGrad) throw new AutogradError('gradCheck: the output does not depend on any float input');
  const analytic = gradients(out, checked.map((i) => leaves[i]));

  let worst: GradCheckMismatch | null = null;
  let worstExcess = -Infinity;
  let maxAbsError = 0;
  checked.forEach((inputIndex, k) => {
    const x = leaves[inputIndex];
    const data = x.dataSync() as Float64Array;
    const a = analytic[k].dataSync();
    for (let j = 0; j < data.length; j++) {
      const saved = data[j];
      data[j] = saved + eps;
      const plus = evaluate();
      data[j] = saved - eps;
      const minus = evaluate();
      data[j] = saved;
      const numeric = (plus - minus) / (2 * eps);
      const err = Math.abs(a[j] - numeric);
      const excess = err - (atol + rtol * Math.abs(numeric));
      maxAbsError = Math.max(maxAbsError, Number.isNaN(err) ? Infinity : err);
      if (excess > worstExcess || Number.isNaN(err)) {
        worstExcess = Number.isNaN(err) ? Infinity : excess;
        worst = { input: inputIndex, position: positionOf(j, x.shape), analytic: a[j], numeric };
      }
    }
  });
  const ok = worstExcess <= 0;
  const w = worst as GradCheckMismatch | null;
  const message = w
    ? `gradCheck ${ok ? 'passed' : 'FAILED'}: worst element is input ${w.input} at [${w.position.join(', ')}]: analytic ${w.analytic}, numeric ${w.numeric} (atol ${atol}, rtol ${rtol})`
    : 'gradCheck passed: no elements';
  return { ok, maxAbsError, worst: w, message };
}
