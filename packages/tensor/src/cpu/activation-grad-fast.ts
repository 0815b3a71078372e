// Fused backward kernels for the activations recurrent and dense nets spend their backward passes in:
// one pass and one allocation instead of the three ops the composed rule runs. Autograd uses them only
// when the backward pass is not itself recorded (no createGraph), since a kernel has no gradient.
// Each float32 loop rounds its intermediates with Math.fround exactly where the composed float32 ops
// round on store, so both paths give the same bits; the float64 loops need no rounding.
import { registerKernel, type TensorData } from '../backend.js';
import { allocData, type TypedArray } from '../dtype.js';

type GradLoop = (g: TypedArray, v: TypedArray, out: TypedArray) => void;

/** g · y(1 − y), with y the sigmoid's output. */
function sigmoidGrad(g: TypedArray, y: TypedArray, o: TypedArray): void {
  if (g instanceof Float32Array && y instanceof Float32Array) {
    for (let i = 0; i < o.length; i++) { const v = y[i]; o[i] = g[i] * Math.fround(v * Math.fround(1 - v)); }
  } else {
    for (let i = 0; i < o.length; i++) { const v = y[i]; o[i] = g[i] * (v * (1 - v)); }
  }
}

/** g · (1 − y²), with y the tanh's output. */
function tanhGrad(g: TypedArray, y: TypedArray, o: TypedArray): void {
  if (g instanceof Float32Array && y instanceof Float32Array) {
    for (let i = 0; i < o.length; i++) { const v = y[i]; o[i] = g[i] * Math.fround(1 - Math.fround(v * v)); }
  } else {
    for (let i = 0; i < o.length; i++) { const v = y[i]; o[i] = g[i] * (1 - v * v); }
  }
}

/** g · [x > 0], with x the relu's input (g · 0 keeps NaN for an infinite g, as the composed rule does). */
function reluGrad(g: TypedArray, x: TypedArray, o: TypedArray): void {
  if (g instanceof Float32Array && x instanceof Float32Array) {
    for (let i = 0; i < o.length; i++) o[i] = g[i] * (x[i] > 0 ? 1 : 0);
  } else {
    for (let i = 0; i < o.length; i++) o[i] = g[i] * (x[i] > 0 ? 1 : 0);
  }
}

const GRAD_LOOPS: Record<string, GradLoop> = { sigmoidGrad, tanhGrad, reluGrad };

/**
 * Registers `sigmoidGrad`, `tanhGrad` and `reluGrad`: inputs [g, v] of one shape and float dtype, where v
 * is the activation's output (sigmoid, tanh) or input (relu); the result has g's shape and dtype.
 */
export function registerActivationGradKernels(): void {
  for (const name of Object.keys(GRAD_LOOPS)) {
    const loop = GRAD_LOOPS[name];
    registerKernel('cpu', name, (inputs): TensorData => {
      const g = inputs[0];
      const out = allocData(g.dtype, g.data.length);
      loop(g.data, inputs[1].data, out);
      return { data: out, shape: g.shape, dtype: g.dtype };
    });
  }
}
